using System.Diagnostics;
using OrleansML.Serving;
using static TorchSharp.torch;

namespace OrleansML.Torch;

/// <summary>
/// A TorchScript or native version as a replica runs it: each input copied once into a torch tensor on the model's
/// device, the version's standardization applied to the first, every output read back as row-major bytes.
/// </summary>
public sealed class TorchRunner : IModelRunner
{
    private readonly TorchModel _model;
    private readonly Tensor? _mean;
    private readonly Tensor? _std;

    public TorchRunner(TorchModel model, Standardization? preprocessing)
    {
        _model = model;
        if (preprocessing is { } standardization)
        {
            _mean = tensor(standardization.Mean).to(model.Device).DetachFromDisposeScope();
            _std = tensor(standardization.Std).to(model.Device).DetachFromDisposeScope();
        }
    }

    public long Bytes => _model.Bytes;

    public string Device => _model.Device.ToString();

    public TensorData[] Run(IReadOnlyList<RunnerInput> inputs, RunTimes times)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var tensors = inputs.Select(i => TorchTensors.ToTorch(i.DataType, i.Shape, i.Buffers).to(_model.Device)).ToArray();
        if (_mean is not null && _std is not null)
        {
            tensors[0] = (tensors[0] - _mean) / _std;
        }

        times.InputsReady = Stopwatch.GetTimestamp();
        var outputs = _model.Run(tensors);
        times.InferDone = Stopwatch.GetTimestamp();
        return outputs
            .Select((output, o) => new TensorData($"output{o}", TorchTensors.DataTypeOf(output.dtype), output.shape, TorchTensors.Bytes(output)))
            .ToArray();
    }

    public void Dispose()
    {
        _mean?.Dispose();
        _std?.Dispose();
        _model.Dispose();
    }
}
