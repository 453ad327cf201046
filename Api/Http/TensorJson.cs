using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using OrleansML.Errors;
using OrleansML.Serving;

namespace OrleansML.Api.Http;

/// <summary>
/// JSON ⇄ <see cref="TensorData"/> for every protocol (native, KServe V2, TF Serving). Tensors arrive as values in
/// nested arrays, rows first (or flat, where the protocol declares the shape); arrays must be rectangular. JSON has
/// no NaN or Infinity, so a non-finite input value is a 400 here (binary and gRPC carry them); non-finite outputs
/// are written as the strings <c>"NaN"</c>, <c>"Infinity"</c> and <c>"-Infinity"</c>.
/// </summary>
public static class TensorJson
{
    private const int MaxRank = 16;

    /// <summary>
    /// The shape of a value or (nested) array, from each level's first element, checked against
    /// <paramref name="maxElements"/> before anything is allocated: a ragged array can declare far more than it holds.
    /// </summary>
    public static long[] ShapeOf(JsonElement value, string what, long maxElements)
    {
        var shape = new List<long>();
        var probe = value;
        while (probe.ValueKind == JsonValueKind.Array)
        {
            var length = probe.GetArrayLength();
            if (length == 0)
            {
                throw PlatformException.Invalid($"{what} contains an empty array; tensors need at least one value per dimension.");
            }

            if (shape.Count == MaxRank)
            {
                throw PlatformException.Invalid($"{what} is nested deeper than {MaxRank} dimensions.");
            }

            shape.Add(length);
            probe = probe[0];
        }

        CheckElements(shape, what, maxElements);
        return shape.ToArray();
    }

    /// <summary>
    /// The number of values <paramref name="shape"/> holds, refused with a 400 naming the limit when it is over
    /// <paramref name="maxElements"/>. Division instead of multiplication, so no shape can overflow the count.
    /// </summary>
    public static int CheckElements(IReadOnlyList<long> shape, string what, long maxElements)
    {
        var limit = Math.Min(maxElements, Array.MaxLength);
        long count = 1;
        foreach (var size in shape)
        {
            if (size != 0 && count > limit / size)
            {
                throw PlatformException.Invalid(
                    $"{what} has shape {SignatureCheck.Format(shape)}, more than the limit of {maxElements} values (OrleansML:Limits:MaxPredictElements).");
            }

            count *= size;
        }

        return (int)count;
    }

    public static void CheckRows(long[] shape, string what, int maxRows)
    {
        if (shape.Length > 0 && shape[0] > maxRows)
        {
            throw PlatformException.Invalid($"{what} has {shape[0]} rows; the limit is {maxRows} (OrleansML:Limits:MaxPredictRows).");
        }
    }

    /// <summary>
    /// A tensor of a declared datatype and shape from V2 <c>data</c>: flat (row-major) or nested as the shape;
    /// numbers for numeric types, <c>true</c>/<c>false</c> for BOOL, strings for BYTES.
    /// </summary>
    public static TensorData ReadTyped(JsonElement data, string name, TensorDataType type, long[] shape, ApiLimits limits)
    {
        var what = $"input '{name}' data";
        var expected = CheckElements(shape, $"input '{name}'", limits.MaxPredictElements);
        var dataShape = ShapeOf(data, what, limits.MaxPredictElements);
        if (dataShape.Length > 1 && !dataShape.SequenceEqual(shape))
        {
            throw PlatformException.Invalid($"input '{name}' has nested data of shape {SignatureCheck.Format(dataShape)} but declares shape {SignatureCheck.Format(shape)}.");
        }

        var count = dataShape.Aggregate(1L, (a, d) => a * d);
        if (data.ValueKind != JsonValueKind.Array || count != expected)
        {
            throw PlatformException.Invalid($"input '{name}' declares shape {SignatureCheck.Format(shape)} ({expected} values) but its data holds {(data.ValueKind == JsonValueKind.Array ? count : 1)}.");
        }

        return new TensorData(name, type, shape, Fill(data, dataShape, what, type, expected));
    }

    /// <summary>
    /// A tensor from JSON that names no datatype (the native API, TF Serving): integers become INT64, other numbers
    /// FP64, booleans BOOL and strings BYTES; the silo converts numbers to the model's datatype.
    /// <paramref name="flatIsOneRow"/>: a flat array is one row of a batch.
    /// </summary>
    public static TensorData ReadUntyped(JsonElement value, string name, string what, ApiLimits limits, bool flatIsOneRow)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw PlatformException.Invalid($"{what} must be an array of rows, got {Describe(value)}.");
        }

        var shape = ShapeOf(value, what, limits.MaxPredictElements);
        var type = Infer(value, what);
        var count = (int)shape.Aggregate(1L, (a, d) => a * d);
        var data = Fill(value, shape, what, type, count);
        if (flatIsOneRow && shape.Length == 1)
        {
            shape = [1, shape[0]];
        }

        CheckRows(shape, what, limits.MaxPredictRows);
        return new TensorData(name, type, shape, data);
    }

    /// <summary>Writes a tensor's values: nested as its shape (rows first), or flat.</summary>
    public static void WriteValues(Utf8JsonWriter writer, TensorData tensor, bool nested)
    {
        var strings = tensor.DataType == TensorDataType.Bytes ? tensor.BytesElements() : null;
        var index = 0;
        if (nested && tensor.Shape.Length == 0)
        {
            WriteValue(writer, tensor, strings, index);
            return;
        }

        if (!nested)
        {
            writer.WriteStartArray();
            for (long i = 0; i < tensor.ElementCount; i++)
            {
                WriteValue(writer, tensor, strings, index++);
            }

            writer.WriteEndArray();
            return;
        }

        Nest(writer, tensor, strings, 0, ref index);
    }

    /// <summary>Row <paramref name="row"/> of a tensor whose first dimension is the batch.</summary>
    public static TensorData RowOf(TensorData tensor, int row)
    {
        long[] shape = tensor.Shape[1..];
        var perRow = (int)shape.Aggregate(1L, (a, d) => a * d);
        if (tensor.DataType == TensorDataType.Bytes)
        {
            return TensorData.OfBytes(tensor.Name, shape, tensor.BytesElements().Skip(row * perRow).Take(perRow).ToList());
        }

        var size = perRow * tensor.DataType.ElementSize();
        return new TensorData(tensor.Name, tensor.DataType, shape, tensor.Data.AsSpan(row * size, size).ToArray());
    }

    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string {value.GetRawText()}",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {value.GetRawText()}",
        _ => "null",
    };

    private static TensorDataType Infer(JsonElement value, string what)
    {
        var leaf = value;
        while (leaf.ValueKind == JsonValueKind.Array)
        {
            leaf = leaf[0];
        }

        return leaf.ValueKind switch
        {
            JsonValueKind.String => TensorDataType.Bytes,
            JsonValueKind.True or JsonValueKind.False => TensorDataType.Bool,
            JsonValueKind.Number => AllIntegers(value) ? TensorDataType.Int64 : TensorDataType.FP64,
            _ => throw PlatformException.Invalid($"{what} holds {Describe(leaf)}; tensors hold numbers, booleans or strings."),
        };
    }

    private static bool AllIntegers(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => value.EnumerateArray().All(AllIntegers),
        JsonValueKind.Number => value.TryGetInt64(out _),
        _ => true,
    };

    private static byte[] Fill(JsonElement value, long[] shape, string what, TensorDataType type, int count)
    {
        if (type == TensorDataType.Bytes)
        {
            var elements = new List<byte[]>(count);
            Walk(value, shape, 0, what, (leaf, path) => elements.Add(Encoding.UTF8.GetBytes(leaf.ValueKind == JsonValueKind.String
                ? leaf.GetString()!
                : throw PlatformException.Invalid($"{path} is {Describe(leaf)}; BYTES tensors hold strings."))));
            return TensorData.OfBytes("", [count], elements).Data;
        }

        var data = new byte[(long)count * type.ElementSize()];
        var index = 0;
        Walk(value, shape, 0, what, (leaf, path) => Write(leaf, path, type, data, index++));
        return data;
    }

    private static void Write(JsonElement leaf, string path, TensorDataType type, byte[] data, int index)
    {
        if (type == TensorDataType.Bool)
        {
            data[index] = leaf.ValueKind switch
            {
                JsonValueKind.True => 1,
                JsonValueKind.False => 0,
                _ => throw PlatformException.Invalid($"{path} is {Describe(leaf)}; BOOL tensors hold true or false."),
            };
            return;
        }

        if (leaf.ValueKind != JsonValueKind.Number)
        {
            throw PlatformException.Invalid($"{path} is {Describe(leaf)}; only finite numbers are accepted.");
        }

        if (!type.IsFloat())
        {
            bool written;
            if (leaf.TryGetInt64(out var integer))
            {
                written = TensorValues.TryWrite(type, data, index, integer);
            }
            else if (type == TensorDataType.UInt64 && leaf.TryGetUInt64(out var unsigned))
            {
                written = WriteUInt64(data, index, unsigned);
            }
            else
            {
                throw PlatformException.Invalid($"{path} is {leaf.GetRawText()}, not an integer, as {type.Name()} needs.");
            }

            if (!written)
            {
                throw PlatformException.Invalid($"{path} is {leaf.GetRawText()}, outside the range of {type.Name()}.");
            }

            return;
        }

        if (!leaf.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            throw PlatformException.Invalid($"{path} is {leaf.GetRawText()}, which is not a finite number.");
        }

        TensorValues.TryWrite(type, data, index, number);
    }

    private static bool WriteUInt64(byte[] data, int index, ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(index * 8), value);
        return true;
    }

    private static void Walk(JsonElement value, long[] shape, int depth, string path, Action<JsonElement, string> leaf)
    {
        if (depth == shape.Length)
        {
            if (value.ValueKind == JsonValueKind.Array)
            {
                throw PlatformException.Invalid($"{path} is an array where a value was expected; arrays must be rectangular.");
            }

            leaf(value, path);
            return;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw PlatformException.Invalid($"{path} is {Describe(value)} where an array of {shape[depth]} was expected; arrays must be rectangular.");
        }

        if (value.GetArrayLength() != shape[depth])
        {
            throw PlatformException.Invalid($"{path} has {value.GetArrayLength()} elements where {shape[depth]} were expected; ragged arrays are not tensors.");
        }

        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            Walk(item, shape, depth + 1, $"{path}[{index}]", leaf);
            index++;
        }
    }

    private static void Nest(Utf8JsonWriter writer, TensorData tensor, List<byte[]>? strings, int depth, ref int index)
    {
        writer.WriteStartArray();
        for (var i = 0; i < tensor.Shape[depth]; i++)
        {
            if (depth == tensor.Shape.Length - 1)
            {
                WriteValue(writer, tensor, strings, index++);
            }
            else
            {
                Nest(writer, tensor, strings, depth + 1, ref index);
            }
        }

        writer.WriteEndArray();
    }

    private static void WriteValue(Utf8JsonWriter writer, TensorData tensor, List<byte[]>? strings, int index)
    {
        switch (tensor.DataType)
        {
            case TensorDataType.Bytes:
                writer.WriteStringValue(Encoding.UTF8.GetString(strings![index]));
                return;
            case TensorDataType.Bool:
                writer.WriteBooleanValue(tensor.Data[index] != 0);
                return;
            case TensorDataType.Int64:
                writer.WriteNumberValue(BinaryPrimitives.ReadInt64LittleEndian(tensor.Data.AsSpan(index * 8)));
                return;
            case TensorDataType.UInt64:
                writer.WriteNumberValue(BinaryPrimitives.ReadUInt64LittleEndian(tensor.Data.AsSpan(index * 8)));
                return;
            case TensorDataType.FP32:
                var single = BinaryPrimitives.ReadSingleLittleEndian(tensor.Data.AsSpan(index * 4));
                if (float.IsFinite(single))
                {
                    writer.WriteNumberValue(single);
                    return;
                }

                writer.WriteStringValue(NonFinite(single));
                return;
            default:
                var number = TensorValues.ToDouble(tensor.DataType, tensor.Data, index);
                if (double.IsFinite(number))
                {
                    writer.WriteNumberValue(number);
                    return;
                }

                writer.WriteStringValue(NonFinite(number));
                return;
        }
    }

    private static string NonFinite(double value) => double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
}
