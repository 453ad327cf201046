using OrleansML.Errors;

namespace OrleansML.Serving;

/// <summary>Checks requests and signatures before anything reaches a model.</summary>
public static class SignatureCheck
{
    public static readonly string[] DataTypes = ["FP32", "FP64", "INT32", "INT64"];

    /// <summary>An input batch must match the signature's dtype family and every non-batch dimension.</summary>
    public static void Input(ModelSignature signature, TensorData input)
    {
        var expected = signature.Input;
        if (!DataTypes.Contains(input.DataType))
        {
            throw PlatformException.Invalid($"input datatype '{input.DataType}' is not supported; supported: {string.Join(", ", DataTypes)}.");
        }

        if (IsFloat(expected.DataType) != IsFloat(input.DataType) && !IsFloat(expected.DataType))
        {
            throw PlatformException.Invalid($"input datatype {input.DataType} does not match the model's {expected.DataType}.");
        }

        var shape = input.Shape;
        var matches = expected.IsBatched
            ? shape.Length == expected.Shape.Length && shape[0] > 0 && Fits(shape[1..], expected.Shape[1..])
            : Fits(shape, expected.Shape) || (shape.Length == expected.Shape.Length + 1 && shape[0] == 1 && Fits(shape[1..], expected.Shape));
        if (!matches)
        {
            throw PlatformException.Invalid(expected.IsBatched
                ? $"input shape {Format(shape)} does not match the model's expected shape {Format(expected.Shape)} (-1 is the batch dimension)."
                : $"input shape {Format(shape)} does not match the model's expected shape {Format(expected.Shape)} (an unbatched model: one input of exactly that shape, or a single row of it).");
        }

        // Checked: a grain client's shape such as [2^62 + 1, 4] must not wrap around to the 4 values it sends.
        if (Count(shape) is not { } count || count != input.Data.Length)
        {
            throw PlatformException.Invalid($"input shape {Format(shape)} does not hold the {input.Data.Length} values given.");
        }

        foreach (var value in input.Data)
        {
            if (!double.IsFinite(value))
            {
                throw PlatformException.Invalid("input contains NaN or infinity; only finite numbers are accepted.");
            }
        }
    }

    /// <summary>A signature must have a batch dimension (-1) first, positive other dimensions and a supported dtype.</summary>
    public static void Signature(ModelSignature signature)
    {
        foreach (var spec in signature.Outputs.Prepend(signature.Input))
        {
            if (!DataTypes.Contains(spec.DataType))
            {
                throw PlatformException.Invalid($"signature tensor '{spec.Name}' has datatype '{spec.DataType}'; supported: {string.Join(", ", DataTypes)}.");
            }

            if (spec.Shape.Length < 1 || spec.Shape.Skip(1).Any(d => d == 0 || d < -1) || spec.Shape[0] is 0 or < -1)
            {
                throw PlatformException.Invalid($"signature tensor '{spec.Name}' has shape {Format(spec.Shape)}; use -1 first for the batch dimension, then positive dimensions.");
            }
        }
    }

    private static long? Count(long[] shape)
    {
        long count = 1;
        foreach (var size in shape)
        {
            if (size < 0 || (size != 0 && count > long.MaxValue / size))
            {
                return null;
            }

            count *= size;
        }

        return count;
    }

    private static bool Fits(long[] actual, long[] expected) =>
        actual.Length == expected.Length && actual.Zip(expected).All(p => p.Second < 0 ? p.First > 0 : p.First == p.Second);

    public static bool IsFloat(string dataType) => dataType is "FP32" or "FP64";

    public static string Format(IEnumerable<long> shape) => $"[{string.Join(", ", shape)}]";
}
