using Google.Protobuf;
using Google.Protobuf.Collections;
using Inference;
using OrleansML.Api.Http;
using OrleansML.Errors;
using OrleansML.Serving;

namespace OrleansML.Api.Grpc.KServe;

/// <summary>
/// A V2 <c>ModelInferRequest</c> as the neutral tensors: each input from its entry of <c>raw_input_contents</c> (the
/// buffer itself, no per-element work) or from the one typed <c>contents</c> field of its datatype. What the
/// request alone shows to be wrong is refused here; names, datatypes and shapes against the model are checked where
/// every protocol's are (<see cref="SignatureCheck"/>).
/// </summary>
internal static class InferInputReader
{
    public static TensorData[] Read(ModelInferRequest request, ApiLimits limits)
    {
        if (request.Inputs.Count == 0)
        {
            throw PlatformException.Invalid("the inference request has no inputs.");
        }

        var raw = request.RawInputContents;
        if (raw.Count > 0 && raw.Count != request.Inputs.Count)
        {
            throw PlatformException.Invalid($"the request has {request.Inputs.Count} inputs but {raw.Count} raw_input_contents; with raw contents every input has exactly one entry, in order.");
        }

        var tensors = new TensorData[request.Inputs.Count];
        long elements = 0;
        for (var i = 0; i < tensors.Length; i++)
        {
            var input = request.Inputs[i];
            var type = TensorDataTypes.Parse(input.Datatype)
                ?? throw PlatformException.Invalid($"input '{input.Name}' has datatype '{input.Datatype}'; use one of {TensorDataTypes.Supported}.");
            var shape = input.Shape.ToArray();
            var count = SignatureCheck.Count(shape)
                ?? throw PlatformException.Invalid($"input '{input.Name}' has shape {SignatureCheck.Format(shape)}; dimensions are non-negative and their product a count of values.");
            elements += count;
            if (elements > limits.MaxPredictElements)
            {
                throw PlatformException.Invalid($"the request declares {elements} values or more, over the limit of {limits.MaxPredictElements}.");
            }

            tensors[i] = raw.Count > 0
                ? FromRaw(input, type, shape, count, raw[i])
                : FromContents(input, type, shape, count);
        }

        return tensors;
    }

    private static TensorData FromRaw(ModelInferRequest.Types.InferInputTensor input, TensorDataType type, long[] shape, long count, ByteString bytes)
    {
        if (input.Contents is { } contents && Families(contents).Any(f => f.Count > 0))
        {
            throw PlatformException.Invalid($"input '{input.Name}' has both typed contents and raw_input_contents; send one or the other.");
        }

        if (type != TensorDataType.Bytes && count * type.ElementSize() != bytes.Length)
        {
            throw PlatformException.Invalid($"input '{input.Name}' has shape {SignatureCheck.Format(shape)} ({count} {type.Name()} values, {count * type.ElementSize()} bytes) but its raw_input_contents hold {bytes.Length} bytes.");
        }

        return new TensorData(input.Name, type, shape, GrpcBytes.ToArray(bytes));
    }

    private static TensorData FromContents(ModelInferRequest.Types.InferInputTensor input, TensorDataType type, long[] shape, long count)
    {
        var contents = input.Contents ?? new InferTensorContents();
        var (field, given) = FieldOf(type, contents, input.Name);
        var other = Families(contents).FirstOrDefault(f => f.Count > 0 && f.Name != field);
        if (other.Name is not null)
        {
            throw PlatformException.Invalid($"input '{input.Name}' is {type.Name()} but carries {other.Name}; its values belong in {field}.");
        }

        if (given != count)
        {
            throw PlatformException.Invalid($"input '{input.Name}' has shape {SignatureCheck.Format(shape)} ({count} values) but its {field} hold {given}.");
        }

        return type switch
        {
            TensorDataType.Bool => TensorData.Of(input.Name, shape, Block(contents.BoolContents)),
            TensorDataType.Int32 => TensorData.Of(input.Name, shape, Block(contents.IntContents)),
            TensorDataType.Int64 => TensorData.Of(input.Name, shape, Block(contents.Int64Contents)),
            TensorDataType.UInt32 => TensorData.Of(input.Name, shape, Block(contents.UintContents)),
            TensorDataType.UInt64 => TensorData.Of(input.Name, shape, Block(contents.Uint64Contents)),
            TensorDataType.FP32 => TensorData.Of(input.Name, shape, Block(contents.Fp32Contents)),
            TensorDataType.FP64 => TensorData.Of(input.Name, shape, Block(contents.Fp64Contents)),
            TensorDataType.Bytes => TensorData.OfBytes(input.Name, shape, contents.BytesContents.Select(b => b.ToByteArray()).ToList()),
            _ => Narrow(input.Name, type, shape, type is TensorDataType.Int8 or TensorDataType.Int16
                ? contents.IntContents.Select(v => (long)v)
                : contents.UintContents.Select(v => (long)v)),
        };
    }

    /// <summary>INT8, INT16, UINT8 and UINT16 travel widened to 32 bits; each value must fit the datatype.</summary>
    private static TensorData Narrow(string name, TensorDataType type, long[] shape, IEnumerable<long> values)
    {
        var list = values.ToList();
        var data = new byte[list.Count * type.ElementSize()];
        for (var i = 0; i < list.Count; i++)
        {
            if (!TensorValues.TryWrite(type, data, i, list[i]))
            {
                throw PlatformException.Invalid($"input '{name}' holds {list[i]} at element {i}, which is not a {type.Name()} value.");
            }
        }

        return new TensorData(name, type, shape, data);
    }

    /// <summary>The typed field a datatype's values travel in, and how many it holds.</summary>
    private static (string Field, int Count) FieldOf(TensorDataType type, InferTensorContents contents, string name) => type switch
    {
        TensorDataType.Bool => ("bool_contents", contents.BoolContents.Count),
        TensorDataType.Int8 or TensorDataType.Int16 or TensorDataType.Int32 => ("int_contents", contents.IntContents.Count),
        TensorDataType.Int64 => ("int64_contents", contents.Int64Contents.Count),
        TensorDataType.UInt8 or TensorDataType.UInt16 or TensorDataType.UInt32 => ("uint_contents", contents.UintContents.Count),
        TensorDataType.UInt64 => ("uint64_contents", contents.Uint64Contents.Count),
        TensorDataType.FP32 => ("fp32_contents", contents.Fp32Contents.Count),
        TensorDataType.FP64 => ("fp64_contents", contents.Fp64Contents.Count),
        TensorDataType.Bytes => ("bytes_contents", contents.BytesContents.Count),
        _ => throw PlatformException.Invalid($"input '{name}' is {type.Name()}, which has no typed contents field: send it in raw_input_contents."),
    };

    private static IEnumerable<(string Name, int Count)> Families(InferTensorContents contents) =>
    [
        ("bool_contents", contents.BoolContents.Count),
        ("int_contents", contents.IntContents.Count),
        ("int64_contents", contents.Int64Contents.Count),
        ("uint_contents", contents.UintContents.Count),
        ("uint64_contents", contents.Uint64Contents.Count),
        ("fp32_contents", contents.Fp32Contents.Count),
        ("fp64_contents", contents.Fp64Contents.Count),
        ("bytes_contents", contents.BytesContents.Count),
    ];

    private static T[] Block<T>(RepeatedField<T> field)
    {
        var values = new T[field.Count];
        field.CopyTo(values, 0);
        return values;
    }
}
