using Microsoft.ML.OnnxRuntime;
using OrleansML.Errors;
using OrleansML.Serving;

namespace OrleansML.Onnx;

/// <summary>
/// An ONNX model's signature as it declares it: names, element types as V2 datatypes, and dimensions, symbolic
/// or unknown ones as -1. An uploaded signature may fill what the model leaves free, never contradict it.
/// </summary>
public static class OnnxSignature
{
    public static ModelSignature Declared(OnnxRunner runner) => new(
        runner.InputNames.Select(n => Spec("input", n, runner.InputMetadata[n])).ToArray(),
        runner.OutputNames.Select(n => Spec("output", n, runner.OutputMetadata[n])).ToArray());

    /// <summary>The declared inputs with the free dimensions <paramref name="given"/> fixes; its outputs are the model's.</summary>
    public static ModelSignature Merge(ModelSignature declared, ModelSignature given)
    {
        var unknown = given.Inputs.Select(i => i.Name).Except(declared.Inputs.Select(i => i.Name)).FirstOrDefault();
        if (unknown is not null)
        {
            throw PlatformException.Invalid($"the signature names input '{unknown}', which the model does not have; it has {string.Join(", ", declared.Inputs.Select(i => $"'{i.Name}'"))}.");
        }

        return declared with { Inputs = declared.Inputs.Select(d => given.Input(d.Name) is { } g ? Merge(d, g) : d).ToArray() };
    }

    private static TensorSpec Merge(TensorSpec declared, TensorSpec given)
    {
        if (given.DataType != declared.DataType)
        {
            throw PlatformException.Invalid($"the signature gives input '{declared.Name}' datatype {given.DataType.Name()}, but the model declares {declared.DataType.Name()}.");
        }

        if (declared.Shape.Length == 0)
        {
            return given;
        }

        var clash = given.Shape.Length != declared.Shape.Length
            || declared.Shape.Zip(given.Shape).Any(p => p.First >= 0 && p.First != p.Second);
        return clash
            ? throw PlatformException.Invalid($"the signature gives input '{declared.Name}' shape {SignatureCheck.Format(given.Shape)}, but the model declares {SignatureCheck.Format(declared.Shape)}; a signature may only fix free (-1) dimensions.")
            : given;
    }

    private static TensorSpec Spec(string what, string name, NodeMetadata metadata)
    {
        if (!metadata.IsTensor)
        {
            throw PlatformException.Invalid($"the model's {what} '{name}' is a {metadata.OnnxValueType}; OrleansML serves models whose inputs and outputs are tensors.");
        }

        return new TensorSpec(name, OnnxTypes.DataTypeOf(metadata.ElementDataType), metadata.Dimensions.Select(d => d > 0 ? (long)d : -1).ToArray());
    }
}
