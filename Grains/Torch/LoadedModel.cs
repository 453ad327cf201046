using OrleansML.Serving;
using static TorchSharp.torch;

namespace OrleansML.Torch;

/// <summary>
/// A model version in native memory on one device, ready for forward passes. It owns its module: disposing it
/// frees the native weights. Forward passes must not overlap (the replica's batcher runs them one at a time).
/// </summary>
public sealed class TorchModel(nn.Module module, Func<Tensor[], object?> forward, Device device, ModelFormat format) : IDisposable
{
    public Device Device { get; } = device;

    public ModelFormat Format { get; } = format;

    /// <summary>The module, for training (parameters, optimizers) and saving.</summary>
    public nn.Module Module { get; } = module;

    /// <summary>Bytes of parameters and buffers in native memory.</summary>
    public long Bytes { get; } = module.parameters().Sum(p => p.NumberOfElements * p.ElementSize)
        + module.buffers().Sum(b => b.NumberOfElements * b.ElementSize);

    /// <summary>Runs a one-input, one-output model (training); the caller owns the dispose scope.</summary>
    public Tensor Forward(Tensor input) => TorchTensors.Outputs(forward([input]))[0];

    /// <summary>Runs the model on its inputs, in signature order, already on <see cref="Device"/>; returns every output.</summary>
    public Tensor[] Run(Tensor[] inputs) => TorchTensors.Outputs(forward(inputs));

    public void Dispose() => Module.Dispose();
}
