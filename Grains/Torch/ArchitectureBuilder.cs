using OrleansML.Errors;
using OrleansML.Serving;
using TorchSharp;
using static TorchSharp.torch;

namespace OrleansML.Torch;

/// <summary>
/// Builds the module of an OrleansML-native architecture. Each <see cref="ArchitectureSpec.Type"/> has one builder
/// here; a new layer type is a new case, and weights stay in TorchSharp's format whatever the type.
/// </summary>
public static class ArchitectureBuilder
{
    public static readonly string[] Activations = ["relu", "tanh", "sigmoid", "gelu"];

    /// <summary>Most weights an architecture may have: 2 GB of float32.</summary>
    public const long MaxWeights = 500_000_000;

    /// <summary>Throws <see cref="PlatformException"/> naming the first thing wrong with the spec.</summary>
    public static void Validate(ArchitectureSpec spec)
    {
        if (!string.Equals(spec.Type, "mlp", StringComparison.OrdinalIgnoreCase))
        {
            throw PlatformException.Invalid($"architecture type '{spec.Type}' is not supported; supported: mlp.");
        }

        if (spec.Inputs <= 0 || spec.Outputs <= 0)
        {
            throw PlatformException.Invalid($"architecture inputs and outputs must be positive (got {spec.Inputs} and {spec.Outputs}).");
        }

        if (spec.Hidden.Any(h => h <= 0) || spec.Hidden.Length > 64)
        {
            throw PlatformException.Invalid("architecture hidden sizes must be positive, and at most 64 layers.");
        }

        // Layer by layer, stopping at the limit: each product of two ints fits a long, but a checked sum of several
        // near 2^62 threw OverflowException (a 500) for hidden sizes of int.MaxValue.
        int[] widths = [spec.Inputs, .. spec.Hidden, spec.Outputs];
        long weights = 0;
        for (var i = 0; i + 1 < widths.Length; i++)
        {
            weights += (long)widths[i] * widths[i + 1];
            if (weights > MaxWeights)
            {
                throw PlatformException.Invalid($"architecture has more than {MaxWeights} weights (at least {weights} by layer {i + 1}); the limit is {MaxWeights}.");
            }
        }

        if (!Activations.Contains(spec.Activation, StringComparer.OrdinalIgnoreCase))
        {
            throw PlatformException.Invalid($"activation '{spec.Activation}' is not supported; supported: {string.Join(", ", Activations)}.");
        }

        if (spec.Dropout is < 0 or >= 1 || double.IsNaN(spec.Dropout))
        {
            throw PlatformException.Invalid($"dropout must be in [0, 1) (got {spec.Dropout}).");
        }
    }

    /// <summary>Builds the module on the CPU, with weights drawn from torch's generator (seed it first).</summary>
    public static nn.Module<Tensor, Tensor> Build(ArchitectureSpec spec)
    {
        Validate(spec);
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        var width = spec.Inputs;
        for (var i = 0; i < spec.Hidden.Length; i++)
        {
            layers.Add(($"fc{i + 1}", nn.Linear(width, spec.Hidden[i])));
            layers.Add(($"act{i + 1}", Activation(spec.Activation)));
            if (spec.Dropout > 0)
            {
                layers.Add(($"drop{i + 1}", nn.Dropout(spec.Dropout)));
            }

            width = spec.Hidden[i];
        }

        layers.Add(("out", nn.Linear(width, spec.Outputs)));
        return nn.Sequential(layers);
    }

    /// <summary>The signature of a native architecture: FP32 [-1, inputs] in, FP32 [-1, outputs] out.</summary>
    public static ModelSignature SignatureOf(ArchitectureSpec spec) => new(
        [new TensorSpec("input", TensorDataType.FP32, [-1, spec.Inputs])],
        [new TensorSpec("output", TensorDataType.FP32, [-1, spec.Outputs])]);

    private static nn.Module<Tensor, Tensor> Activation(string name) => name.ToLowerInvariant() switch
    {
        "relu" => nn.ReLU(),
        "tanh" => nn.Tanh(),
        "sigmoid" => nn.Sigmoid(),
        _ => nn.GELU(),
    };
}
