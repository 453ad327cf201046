using System.Runtime.InteropServices;

namespace OrleansML.Onnx;

/// <summary>
/// Bytes the process's native heap holds allocated (glibc's <c>mallinfo2</c>, mmapped blocks included): ONNX
/// Runtime allocates a session's initializers and kernels there, so the growth around a session's creation is
/// what it holds. Null off glibc.
/// </summary>
public static class NativeHeap
{
    public static long? InUseBytes()
    {
        try
        {
            var info = MallInfo2();
            return (long)(info.InUse + info.Mapped);
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
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
