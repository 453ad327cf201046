using System.Buffers.Binary;
using OrleansML.Errors;

namespace OrleansML.Serving;

/// <summary>
/// The rules a request and a signature must meet before anything reaches a model, shared by every protocol front
/// end and the silos: each refusal is a <see cref="PlatformException"/> (400) naming what is wrong.
/// </summary>
public static class SignatureCheck
{
    /// <summary>
    /// Matches a request's inputs to the signature by name (an unnamed input is a single-input model's input) and
    /// returns them in the signature's order, converted to the model's datatypes where a value-preserving conversion
    /// exists (numbers from JSON arrive as FP64 or INT64). Checks names, datatypes, shapes and buffer sizes.
    /// </summary>
    public static TensorData[] Conform(ModelSignature signature, IReadOnlyList<TensorData> inputs)
    {
        if (inputs.Count == 0)
        {
            throw PlatformException.Invalid($"the request has no inputs; the model takes {Names(signature.Inputs)}.");
        }

        var byName = new Dictionary<string, TensorData>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            var name = input.Name.Length == 0 && inputs.Count == 1 && signature.Inputs.Length == 1 ? signature.Inputs[0].Name : input.Name;
            if (name.Length == 0)
            {
                throw PlatformException.Invalid($"the model takes several inputs ({Names(signature.Inputs)}): name each one.");
            }

            if (signature.Input(name) is null)
            {
                throw PlatformException.Invalid($"input '{name}' is not an input of the model; it takes {Names(signature.Inputs)}.");
            }

            if (!byName.TryAdd(name, input))
            {
                throw PlatformException.Invalid($"input '{name}' is given more than once.");
            }
        }

        var conformed = new TensorData[signature.Inputs.Length];
        long? rows = null;
        for (var i = 0; i < signature.Inputs.Length; i++)
        {
            var spec = signature.Inputs[i];
            if (!byName.TryGetValue(spec.Name, out var input))
            {
                throw PlatformException.Invalid($"input '{spec.Name}' is missing; the model takes {Names(signature.Inputs)}.");
            }

            CheckDataType(spec, input);
            CheckShape(spec, input, signature.IsBatched);
            CheckBuffer(spec.Name, input);
            if (signature.IsBatched)
            {
                rows ??= input.Shape[0];
                if (rows != input.Shape[0])
                {
                    throw PlatformException.Invalid($"input '{spec.Name}' has {input.Shape[0]} rows where the other inputs have {rows}; every input of a batch has the same rows.");
                }
            }

            conformed[i] = Convert(spec, input);
        }

        return conformed;
    }

    /// <summary>The requested outputs must be outputs of the model.</summary>
    public static void Outputs(ModelSignature signature, IReadOnlyList<string>? requested)
    {
        if (requested is null)
        {
            return;
        }

        foreach (var name in requested)
        {
            if (signature.Output(name) is null)
            {
                throw PlatformException.Invalid($"requested output '{name}' is not an output of the model (outputs: {Names(signature.Outputs)}).");
            }
        }

        if (requested.Distinct(StringComparer.Ordinal).Count() != requested.Count)
        {
            throw PlatformException.Invalid("an output is requested more than once.");
        }
    }

    /// <summary>Names unique and non-empty, at least one input and one output, dimensions -1 (free) or positive.</summary>
    public static void Signature(ModelSignature signature)
    {
        if (signature.Inputs is not { Length: > 0 })
        {
            throw PlatformException.Invalid("the signature has no inputs.");
        }

        foreach (var group in new[] { signature.Inputs, signature.Outputs ?? [] })
        {
            var duplicate = group.GroupBy(s => s.Name).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                throw PlatformException.Invalid($"the signature names tensor '{duplicate.Key}' twice.");
            }
        }

        foreach (var spec in signature.Inputs.Concat(signature.Outputs ?? []))
        {
            if (string.IsNullOrEmpty(spec.Name) || spec.Shape is null)
            {
                throw PlatformException.Invalid("every signature tensor needs a name and a shape.");
            }

            if (!Enum.IsDefined(spec.DataType))
            {
                throw PlatformException.Invalid($"signature tensor '{spec.Name}' has an unknown datatype; supported: {TensorDataTypes.Supported}.");
            }

            if (spec.Shape.Any(d => d is 0 or < -1))
            {
                throw PlatformException.Invalid($"signature tensor '{spec.Name}' has shape {Format(spec.Shape)}; dimensions are -1 (free, first for the batch) or positive.");
            }
        }
    }

    /// <summary>The number of values <paramref name="shape"/> holds, or null when a dimension is negative or the count overflows.</summary>
    public static long? Count(IReadOnlyList<long> shape)
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

    public static string Format(IEnumerable<long> shape) => $"[{string.Join(", ", shape)}]";

    private static void CheckShape(TensorSpec spec, TensorData input, bool batched)
    {
        var shape = input.Shape;
        var matches = batched
            ? shape.Length == spec.Shape.Length && shape[0] > 0 && Fits(shape[1..], spec.Shape[1..])
            : Fits(shape, spec.Shape) || (shape.Length == spec.Shape.Length + 1 && shape[0] == 1 && Fits(shape[1..], spec.Shape));
        if (!matches)
        {
            throw PlatformException.Invalid(batched
                ? $"input '{spec.Name}' has shape {Format(shape)}, which does not match the model's expected shape {Format(spec.Shape)} (-1 is the batch dimension)."
                : $"input '{spec.Name}' has shape {Format(shape)}, which does not match the model's expected shape {Format(spec.Shape)} (an unbatched model: one input of exactly that shape, or a single row of it).");
        }
    }

    /// <summary>
    /// The buffer must hold exactly the shape's values: shape × element size bytes, or for BYTES one length-prefixed
    /// element per value with no prefix running past the end. Checked arithmetic: a grain client's shape such as
    /// [2^62 + 1, 4] must not wrap around to the values it sends.
    /// </summary>
    private static void CheckBuffer(string name, TensorData input)
    {
        if (Count(input.Shape) is not { } count)
        {
            throw PlatformException.Invalid($"input '{name}' has shape {Format(input.Shape)}, whose size is not a count of values.");
        }

        if (input.DataType != TensorDataType.Bytes)
        {
            var size = input.DataType.ElementSize();
            if (count > input.Data.Length / size || count * size != input.Data.Length)
            {
                throw PlatformException.Invalid($"input '{name}' has shape {Format(input.Shape)} ({count} {input.DataType.Name()} values, {count * (double)size:0} bytes) but its data holds {input.Data.Length} bytes.");
            }

            return;
        }

        var span = input.Data.AsSpan();
        long elements = 0;
        while (span.Length > 0)
        {
            if (span.Length < 4 || BinaryPrimitives.ReadUInt32LittleEndian(span) is var length && length > span.Length - 4)
            {
                throw PlatformException.Invalid($"BYTES input '{name}' has an element whose 4-byte length prefix runs past the end of its data.");
            }

            span = span[(4 + (int)length)..];
            elements++;
        }

        if (elements != count)
        {
            throw PlatformException.Invalid($"BYTES input '{name}' has shape {Format(input.Shape)} ({count} elements) but its data holds {elements}.");
        }
    }

    /// <summary>
    /// The input in the model's datatype. An input of another datatype is refused, except the four the protocols
    /// have always converted (FP32, FP64, INT32, INT64: numbers from JSON arrive as FP64 or INT64), which convert to
    /// a numeric model datatype when every value is representable; integer and BOOL models refuse floating point.
    /// </summary>
    private static TensorData Convert(TensorSpec spec, TensorData input)
    {
        var named = input.Name == spec.Name ? input : input with { Name = spec.Name };
        if (input.DataType == spec.DataType)
        {
            return named;
        }

        var count = input.ElementCount;
        var data = new byte[count * spec.DataType.ElementSize()];
        if (spec.DataType == TensorDataType.FP32 && input.DataType is TensorDataType.FP64 or TensorDataType.Int64 or TensorDataType.Int32)
        {
            // The common case of JSON numbers for a float model, without the per-element type switch.
            var floats = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(data.AsSpan());
            switch (input.DataType)
            {
                case TensorDataType.FP64:
                    var doubles = input.Values<double>();
                    for (var i = 0; i < floats.Length; i++)
                    {
                        floats[i] = (float)doubles[i];
                    }

                    break;
                case TensorDataType.Int64:
                    var longs = input.Values<long>();
                    for (var i = 0; i < floats.Length; i++)
                    {
                        floats[i] = longs[i];
                    }

                    break;
                default:
                    var ints = input.Values<int>();
                    for (var i = 0; i < floats.Length; i++)
                    {
                        floats[i] = ints[i];
                    }

                    break;
            }

            return new TensorData(spec.Name, spec.DataType, input.Shape, data);
        }

        var exactIntegers = !input.DataType.IsFloat();
        for (long i = 0; i < count; i++)
        {
            var written = exactIntegers
                ? TensorValues.TryWrite(spec.DataType, data, i, TensorValues.ToInt64(input.DataType, input.Data, i))
                : TensorValues.TryWrite(spec.DataType, data, i, TensorValues.ToDouble(input.DataType, input.Data, i));
            if (!written)
            {
                throw PlatformException.Invalid($"input '{spec.Name}' holds {TensorValues.ToDouble(input.DataType, input.Data, i)} at element {i}, which is not a {spec.DataType.Name()} value.");
            }
        }

        return new TensorData(spec.Name, spec.DataType, input.Shape, data);
    }

    private static void CheckDataType(TensorSpec spec, TensorData input)
    {
        if (input.DataType != spec.DataType
            && (input.DataType is not (TensorDataType.FP32 or TensorDataType.FP64 or TensorDataType.Int32 or TensorDataType.Int64)
                || spec.DataType == TensorDataType.Bytes || (input.DataType.IsFloat() && !spec.DataType.IsFloat())))
        {
            throw PlatformException.Invalid($"input '{spec.Name}' has datatype {input.DataType.Name()}; the model takes {spec.DataType.Name()}.");
        }
    }

    private static bool Fits(long[] actual, long[] expected) =>
        actual.Length == expected.Length && actual.Zip(expected).All(p => p.Second < 0 ? p.First > 0 : p.First == p.Second);

    private static string Names(IEnumerable<TensorSpec> specs) => string.Join(", ", specs.Select(s => $"'{s.Name}'"));
}
