using Google.Protobuf;
using Google.Protobuf.Collections;
using Google.Protobuf.Reflection;
using OrleansML.Errors;
using OrleansML.Serving;
using Tensorflow;

namespace OrleansML.Api.Grpc.TensorFlowServing;

/// <summary>
/// TensorFlow's <c>TensorProto</c> and the neutral tensor: <c>tensor_content</c> is the buffer itself (no
/// per-element work); the typed <c>*_val</c> fields are read and written as TensorFlow lays them out (8- and
/// 16-bit integers in <c>int_val</c>, FP16 and BF16 bit patterns in <c>half_val</c>, strings in <c>string_val</c>).
/// </summary>
internal static class TensorProtos
{
    public static TensorDataType TypeOf(DataType dtype, string name) => dtype switch
    {
        DataType.DtBool => TensorDataType.Bool,
        DataType.DtUint8 => TensorDataType.UInt8,
        DataType.DtUint16 => TensorDataType.UInt16,
        DataType.DtUint32 => TensorDataType.UInt32,
        DataType.DtUint64 => TensorDataType.UInt64,
        DataType.DtInt8 => TensorDataType.Int8,
        DataType.DtInt16 => TensorDataType.Int16,
        DataType.DtInt32 => TensorDataType.Int32,
        DataType.DtInt64 => TensorDataType.Int64,
        DataType.DtHalf => TensorDataType.FP16,
        DataType.DtBfloat16 => TensorDataType.BF16,
        DataType.DtFloat => TensorDataType.FP32,
        DataType.DtDouble => TensorDataType.FP64,
        DataType.DtString => TensorDataType.Bytes,
        _ => throw PlatformException.Invalid($"input '{name}' has dtype {Name(dtype)}, which OrleansML does not serve; use DT_BOOL, DT_(U)INT8/16/32/64, DT_HALF, DT_BFLOAT16, DT_FLOAT, DT_DOUBLE or DT_STRING."),
    };

    /// <summary>The dtype as TensorFlow spells it (<c>DT_FLOAT</c>), for messages.</summary>
    public static string Name(DataType dtype) =>
        TypesReflection.Descriptor.FindTypeByName<EnumDescriptor>("DataType").FindValueByNumber((int)dtype)?.Name ?? $"dtype {(int)dtype}";

    public static DataType DTypeOf(TensorDataType type) => type switch
    {
        TensorDataType.Bool => DataType.DtBool,
        TensorDataType.UInt8 => DataType.DtUint8,
        TensorDataType.UInt16 => DataType.DtUint16,
        TensorDataType.UInt32 => DataType.DtUint32,
        TensorDataType.UInt64 => DataType.DtUint64,
        TensorDataType.Int8 => DataType.DtInt8,
        TensorDataType.Int16 => DataType.DtInt16,
        TensorDataType.Int32 => DataType.DtInt32,
        TensorDataType.Int64 => DataType.DtInt64,
        TensorDataType.FP16 => DataType.DtHalf,
        TensorDataType.BF16 => DataType.DtBfloat16,
        TensorDataType.FP64 => DataType.DtDouble,
        TensorDataType.Bytes => DataType.DtString,
        _ => DataType.DtFloat,
    };

    public static TensorShapeProto Shape(IEnumerable<long> shape)
    {
        var proto = new TensorShapeProto();
        proto.Dim.Add(shape.Select(d => new TensorShapeProto.Types.Dim { Size = d }));
        return proto;
    }

    public static TensorData Read(string name, TensorProto tensor, long maxElements)
    {
        var type = TypeOf(tensor.Dtype, name);
        if (tensor.TensorShape is null || tensor.TensorShape.UnknownRank)
        {
            throw PlatformException.Invalid($"input '{name}' needs a tensor_shape of known rank.");
        }

        var shape = tensor.TensorShape.Dim.Select(d => d.Size).ToArray();
        var count = SignatureCheck.Count(shape)
            ?? throw PlatformException.Invalid($"input '{name}' has shape {SignatureCheck.Format(shape)}; dimensions are non-negative and their product a count of values.");
        if (count > maxElements)
        {
            throw PlatformException.Invalid($"input '{name}' declares {count} values, over the limit of {maxElements}.");
        }

        var typed = Families(tensor).Where(f => f.Count > 0).ToList();
        if (tensor.TensorContent.Length > 0)
        {
            if (typed.Count > 0)
            {
                throw PlatformException.Invalid($"input '{name}' has both tensor_content and {typed[0].Name}; send one or the other.");
            }

            if (type == TensorDataType.Bytes)
            {
                throw PlatformException.Invalid($"input '{name}' is DT_STRING: its values go in string_val, not tensor_content.");
            }

            if (count * type.ElementSize() != tensor.TensorContent.Length)
            {
                throw PlatformException.Invalid($"input '{name}' has shape {SignatureCheck.Format(shape)} ({count} {Name(tensor.Dtype)} values, {count * type.ElementSize()} bytes) but its tensor_content holds {tensor.TensorContent.Length} bytes.");
            }

            return new TensorData(name, type, shape, GrpcBytes.ToArray(tensor.TensorContent));
        }

        var field = FieldOf(type);
        var other = typed.FirstOrDefault(f => f.Name != field);
        if (other.Name is not null)
        {
            throw PlatformException.Invalid($"input '{name}' is {Name(tensor.Dtype)} but carries {other.Name}; its values belong in {field} or tensor_content.");
        }

        var given = typed.Count == 0 ? 0 : typed[0].Count;
        if (given != count)
        {
            throw PlatformException.Invalid($"input '{name}' has shape {SignatureCheck.Format(shape)} ({count} values) but its {field} holds {given}.");
        }

        return type switch
        {
            TensorDataType.Bool => TensorData.Of(name, shape, Block(tensor.BoolVal)),
            TensorDataType.Int32 => TensorData.Of(name, shape, Block(tensor.IntVal)),
            TensorDataType.Int64 => TensorData.Of(name, shape, Block(tensor.Int64Val)),
            TensorDataType.UInt32 => TensorData.Of(name, shape, Block(tensor.Uint32Val)),
            TensorDataType.UInt64 => TensorData.Of(name, shape, Block(tensor.Uint64Val)),
            TensorDataType.FP32 => TensorData.Of(name, shape, Block(tensor.FloatVal)),
            TensorDataType.FP64 => TensorData.Of(name, shape, Block(tensor.DoubleVal)),
            TensorDataType.Bytes => TensorData.OfBytes(name, shape, tensor.StringVal.Select(s => s.ToByteArray()).ToList()),
            TensorDataType.FP16 or TensorDataType.BF16 => TensorData.Of(name, shape, Bits(name, tensor.HalfVal), type),
            _ => Narrow(name, type, shape, tensor.IntVal),
        };
    }

    /// <summary>Raw: the output's buffer as <c>tensor_content</c> (BYTES always as <c>string_val</c>); else the typed field.</summary>
    public static TensorProto Write(TensorData output, bool raw)
    {
        var tensor = new TensorProto { Dtype = DTypeOf(output.DataType), TensorShape = Shape(output.Shape) };
        if (output.DataType == TensorDataType.Bytes)
        {
            tensor.StringVal.Add(output.BytesElements().Select(GrpcBytes.Wrap));
            return tensor;
        }

        if (raw)
        {
            tensor.TensorContent = GrpcBytes.Wrap(output.Data);
            return tensor;
        }

        switch (output.DataType)
        {
            case TensorDataType.Bool:
                tensor.BoolVal.Add(output.Data.Select(b => b != 0));
                break;
            case TensorDataType.UInt8:
                tensor.IntVal.Add(output.Data.Select(v => (int)v));
                break;
            case TensorDataType.Int8:
                tensor.IntVal.Add(output.Values<sbyte>().ToArray().Select(v => (int)v));
                break;
            case TensorDataType.Int16:
                tensor.IntVal.Add(output.Values<short>().ToArray().Select(v => (int)v));
                break;
            case TensorDataType.UInt16:
                tensor.IntVal.Add(output.Values<ushort>().ToArray().Select(v => (int)v));
                break;
            case TensorDataType.FP16 or TensorDataType.BF16:
                tensor.HalfVal.Add(output.Values<ushort>().ToArray().Select(v => (int)v));
                break;
            case TensorDataType.Int32:
                tensor.IntVal.Add(output.Values<int>().ToArray());
                break;
            case TensorDataType.Int64:
                tensor.Int64Val.Add(output.Values<long>().ToArray());
                break;
            case TensorDataType.UInt32:
                tensor.Uint32Val.Add(output.Values<uint>().ToArray());
                break;
            case TensorDataType.UInt64:
                tensor.Uint64Val.Add(output.Values<ulong>().ToArray());
                break;
            case TensorDataType.FP64:
                tensor.DoubleVal.Add(output.Values<double>().ToArray());
                break;
            default:
                tensor.FloatVal.Add(output.Values<float>().ToArray());
                break;
        }

        return tensor;
    }

    private static string FieldOf(TensorDataType type) => type switch
    {
        TensorDataType.Bool => "bool_val",
        TensorDataType.Int64 => "int64_val",
        TensorDataType.UInt32 => "uint32_val",
        TensorDataType.UInt64 => "uint64_val",
        TensorDataType.FP32 => "float_val",
        TensorDataType.FP64 => "double_val",
        TensorDataType.Bytes => "string_val",
        TensorDataType.FP16 or TensorDataType.BF16 => "half_val",
        _ => "int_val",
    };

    private static IEnumerable<(string Name, int Count)> Families(TensorProto tensor) =>
    [
        ("bool_val", tensor.BoolVal.Count),
        ("int_val", tensor.IntVal.Count),
        ("int64_val", tensor.Int64Val.Count),
        ("uint32_val", tensor.Uint32Val.Count),
        ("uint64_val", tensor.Uint64Val.Count),
        ("float_val", tensor.FloatVal.Count),
        ("double_val", tensor.DoubleVal.Count),
        ("string_val", tensor.StringVal.Count),
        ("half_val", tensor.HalfVal.Count),
    ];

    /// <summary>INT8, INT16, UINT8 and UINT16 travel in <c>int_val</c>; each value must fit the datatype.</summary>
    private static TensorData Narrow(string name, TensorDataType type, long[] shape, RepeatedField<int> values)
    {
        var data = new byte[values.Count * type.ElementSize()];
        for (var i = 0; i < values.Count; i++)
        {
            if (!TensorValues.TryWrite(type, data, i, (long)values[i]))
            {
                throw PlatformException.Invalid($"input '{name}' holds {values[i]} at element {i}, which is not a {type.Name()} value.");
            }
        }

        return new TensorData(name, type, shape, data);
    }

    private static ushort[] Bits(string name, RepeatedField<int> values) =>
        values.Select((v, i) => v is >= 0 and <= ushort.MaxValue
            ? (ushort)v
            : throw PlatformException.Invalid($"input '{name}' holds {v} at half_val element {i}, which is not a 16-bit pattern.")).ToArray();

    private static T[] Block<T>(RepeatedField<T> field)
    {
        var values = new T[field.Count];
        field.CopyTo(values, 0);
        return values;
    }
}
