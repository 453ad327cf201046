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
        return OrleansML.Onnx.NativeHeap.InUseBytes() ?? throw new PlatformNotSupportedException("mallinfo2 is glibc's; these measurements need it.");
    }
}
