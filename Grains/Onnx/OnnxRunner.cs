using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using OrleansML.Errors;
using OrleansML.Serving;

namespace OrleansML.Onnx;

/// <summary>
/// An ONNX version in an ONNX Runtime session: inputs go to the engine as OrtValues over the request buffers
/// themselves (pinned, not copied), outputs come back as <see cref="TensorData"/>. <see cref="Bytes"/> is the
/// native heap the session took when it was created, not the file's size.
/// </summary>
public sealed class OnnxRunner : IModelRunner
{
    private static readonly Lock Measuring = new();
    private readonly InferenceSession _session;
    private readonly SessionOptions _options;
    private readonly RunOptions _run = new();
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    private OnnxRunner(InferenceSession session, SessionOptions options, long bytes, string device)
    {
        (_session, _options, Bytes, Device) = (session, options, bytes, device);
        _inputNames = [.. session.InputNames];
        _outputNames = [.. session.OutputNames];
    }

    public long Bytes { get; }

    public string Device { get; }

    /// <summary>The settings its session was opened with, as its session options hold them.</summary>
    public OnnxSessionSettings SessionSettings => OnnxSessionSetup.SettingsOf(_options);

    /// <summary>The model's inputs, in the order <see cref="Run"/> takes them.</summary>
    public IReadOnlyList<string> InputNames => _inputNames;

    /// <summary>The model's outputs, in the order <see cref="Run"/> returns them.</summary>
    public IReadOnlyList<string> OutputNames => _outputNames;

    /// <summary>The model's inputs and outputs as ONNX Runtime reads them.</summary>
    public IReadOnlyDictionary<string, NodeMetadata> InputMetadata => _session.InputMetadata;

    public IReadOnlyDictionary<string, NodeMetadata> OutputMetadata => _session.OutputMetadata;

    /// <summary>Opens a session; a model ONNX Runtime refuses is a <see cref="PlatformException"/> carrying its reason.</summary>
    public static OnnxRunner Load(byte[] model, OnnxSessionSetup settings)
    {
        var options = settings.ToOptions();
        try
        {
            // Sessions are created one at a time so the heap's growth is this session's.
            lock (Measuring)
            {
                var before = NativeHeap.InUseBytes();
                var session = new InferenceSession(model, options);
                var grown = NativeHeap.InUseBytes() - before;
                var device = settings.CudaDevice is { } cuda ? $"cuda:{cuda}" : "cpu";
                // The session keeps its own copy of the initializers, so it holds at least the file's bytes; the heap's
                // growth is what it holds beyond that (pre-packed weights, arenas). Other threads freeing memory while
                // the session is created can hide part of the growth, so the file's size is the floor, not a stand-in.
                return new OnnxRunner(session, options, Math.Max(grown ?? 0, model.Length), device);
            }
        }
        catch (OnnxRuntimeException exception)
        {
            options.Dispose();
            throw PlatformException.Invalid($"ONNX Runtime cannot load the model: {OnnxErrors.Reason(exception)}");
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }

    public TensorData[] Run(IReadOnlyList<RunnerInput> inputs, RunTimes times)
    {
        using var values = new OnnxInputs(inputs);
        times.InputsReady = Stopwatch.GetTimestamp();
        IDisposableReadOnlyCollection<OrtValue> outputs;
        try
        {
            outputs = _session.Run(_run, _inputNames, values.Values, _outputNames);
        }
        catch (OnnxRuntimeException exception)
        {
            throw PlatformException.Invalid($"the model failed on this input: {OnnxErrors.Reason(exception)}");
        }

        using (outputs)
        {
            times.InferDone = Stopwatch.GetTimestamp();
            return outputs.Select((value, o) => OnnxOutputs.Read(_outputNames[o], value)).ToArray();
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        _options.Dispose();
        _run.Dispose();
    }
}
