using Microsoft.ML.OnnxRuntime;
using OrleansML.Serving;

namespace OrleansML.Onnx;

/// <summary>
/// How a silo opens an ONNX Runtime session: the model's <see cref="OnnxSessionSettings"/> (intra-op threads already
/// resolved, see <see cref="ThreadsFor"/>; by default one inter-op thread, as a replica runs one batch at a time, and
/// every graph optimization), and threads that block rather than spin between batches (a silo serves many models on
/// few cores). <paramref name="CudaDevice"/> picks the CUDA execution provider on that GPU (from
/// <c>OrleansML:Device</c>); null runs on the CPU.
/// </summary>
public sealed record OnnxSessionSetup(OnnxSessionSettings Settings, int? CudaDevice = null)
{
    /// <summary>What validation uses: one thread on the CPU.</summary>
    public static OnnxSessionSetup Validation { get; } = new(new OnnxSessionSettings(IntraOpThreads: 1));

    /// <summary>
    /// The intra-op threads of a replica on a silo of <paramref name="cores"/> that already holds <paramref name="loaded"/>
    /// replicas: the model's own setting, else the silo's, else the cores shared by the replicas.
    /// </summary>
    public static int ThreadsFor(int cores, int loaded, int model, int silo) =>
        model > 0 ? model : silo > 0 ? silo : Math.Max(1, cores / Math.Max(1, loaded + 1));

    public SessionOptions ToOptions()
    {
        var options = new SessionOptions
        {
            IntraOpNumThreads = Settings.IntraOpThreads,
            InterOpNumThreads = Settings.InterOpThreads,
            // Inter-op threads only run anything in parallel mode.
            ExecutionMode = Settings.InterOpThreads > 1 ? ExecutionMode.ORT_PARALLEL : ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = Level(Settings.GraphOptimization),
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

    /// <summary>The settings a session was opened with, read back from its options.</summary>
    public static OnnxSessionSettings SettingsOf(SessionOptions options) =>
        new(options.IntraOpNumThreads, options.InterOpNumThreads, options.GraphOptimizationLevel switch
        {
            GraphOptimizationLevel.ORT_DISABLE_ALL => GraphOptimization.Disabled,
            GraphOptimizationLevel.ORT_ENABLE_BASIC => GraphOptimization.Basic,
            GraphOptimizationLevel.ORT_ENABLE_EXTENDED => GraphOptimization.Extended,
            _ => GraphOptimization.All,
        });

    private static GraphOptimizationLevel Level(GraphOptimization optimization) => optimization switch
    {
        GraphOptimization.Disabled => GraphOptimizationLevel.ORT_DISABLE_ALL,
        GraphOptimization.Basic => GraphOptimizationLevel.ORT_ENABLE_BASIC,
        GraphOptimization.Extended => GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
        _ => GraphOptimizationLevel.ORT_ENABLE_ALL,
    };
}
