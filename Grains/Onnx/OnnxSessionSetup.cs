using Microsoft.ML.OnnxRuntime;

namespace OrleansML.Onnx;

/// <summary>
/// How a silo opens an ONNX Runtime session: intra-op threads sized to its share of the cores, one inter-op
/// thread (a replica runs one batch at a time), every graph optimization, and threads that block rather than spin
/// between batches (a silo serves many models on few cores). <paramref name="CudaDevice"/> picks the CUDA
/// execution provider on that GPU (from <c>OrleansML:Device</c>); null runs on the CPU.
/// </summary>
public sealed record OnnxSessionSettings(int IntraOpThreads, int? CudaDevice = null)
{
    /// <summary>What validation uses: one thread on the CPU.</summary>
    public static OnnxSessionSettings Validation { get; } = new(1);

    /// <summary>The intra-op threads of a replica on a silo of <paramref name="cores"/> that already holds <paramref name="loaded"/> replicas.</summary>
    public static int ThreadsFor(int cores, int loaded, int configured) =>
        configured > 0 ? configured : Math.Max(1, cores / Math.Max(1, loaded + 1));

    public SessionOptions ToOptions()
    {
        var options = new SessionOptions
        {
            IntraOpNumThreads = IntraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        try
        {
            options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
            if (CudaDevice is { } device)
            {
                options.AppendExecutionProvider_CUDA(device);
            }

            return options;
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }
}
