using System.Runtime.InteropServices;

namespace OrleansML.Tests.Infrastructure;

/// <summary>
/// The bytes the process's native heap holds allocated (glibc's <c>mallinfo2</c>, summed over every arena, mmapped
/// blocks included), after collecting the managed objects that own native memory. LibTorch allocates tensors there,
/// so a leaked tensor counts; free pages the allocator keeps for later do not.
/// </summary>
public static class NativeHeap
{
    public static long InUseBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var info = MallInfo2();
        return (long)(info.InUse + info.Mapped);
    }

    [DllImport("libc", EntryPoint = "mallinfo2")]
    private static extern MallocInfo MallInfo2();

    [StructLayout(LayoutKind.Sequential)]
    private readonly struct MallocInfo
    {
        public readonly nuint Arena;
        public readonly nuint FreeChunks;
        public readonly nuint FastBins;
        public readonly nuint MappedBlocks;
        public readonly nuint Mapped;
        public readonly nuint MaxTotal;
        public readonly nuint FastBinBytes;
        public readonly nuint InUse;
        public readonly nuint Free;
        public readonly nuint Releasable;
    }
}
