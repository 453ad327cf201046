using System.Buffers.Binary;
using System.Runtime.InteropServices;
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

        return new TensorData(name, type, shape, Fill(Leaves(data, dataShape, what, expected), dataShape, what, type));
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
        var count = (int)shape.Aggregate(1L, (a, d) => a * d);
        var leaves = Leaves(value, shape, what, count);
        var type = Infer(leaves[0], what);
        var (dataType, data) = type == TensorDataType.FP64 ? ReadNumbers(leaves, shape, what) : (type, Fill(leaves, shape, what, type));
        if (flatIsOneRow && shape.Length == 1)
        {
            shape = [1, shape[0]];
        }

        CheckRows(shape, what, limits.MaxPredictRows);
        return new TensorData(name, dataType, shape, data);
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

    private static TensorDataType Infer(JsonElement first, string what) => first.ValueKind switch
    {
        JsonValueKind.String => TensorDataType.Bytes,
        JsonValueKind.True or JsonValueKind.False => TensorDataType.Bool,
        JsonValueKind.Number => TensorDataType.FP64,
        _ => throw PlatformException.Invalid($"{what} holds {Describe(first)}; tensors hold numbers, booleans or strings."),
    };

    /// <summary>Untyped numbers: FP64, or INT64 when every value is an integer (exactly, beyond 2^53 too).</summary>
    private static (TensorDataType Type, byte[] Data) ReadNumbers(JsonElement[] leaves, long[] shape, string what)
    {
        var data = Fill(leaves, shape, what, TensorDataType.FP64);
        var values = MemoryMarshal.Cast<byte, double>(data);
        foreach (var value in values)
        {
            if (Math.Floor(value) != value || Math.Abs(value) > 9.2e18)
            {
                return (TensorDataType.FP64, data);
            }
        }

        var integers = new byte[data.Length];
        var exact = MemoryMarshal.Cast<byte, long>(integers.AsSpan());
        for (var i = 0; i < leaves.Length; i++)
        {
            if (!leaves[i].TryGetInt64(out exact[i]))
            {
                return (TensorDataType.FP64, data);
            }
        }

        return (TensorDataType.Int64, integers);
    }

    /// <summary>Every leaf of a rectangular (nested) array, row-major; only the array levels build error paths.</summary>
    private static JsonElement[] Leaves(JsonElement value, long[] shape, string what, int count)
    {
        var leaves = new JsonElement[count];
        var index = 0;
        Walk(value, shape, 0, what, leaves, ref index);
        return leaves;
    }

    private static byte[] Fill(JsonElement[] leaves, long[] shape, string what, TensorDataType type)
    {
        if (type == TensorDataType.Bytes)
        {
            var elements = new List<byte[]>(leaves.Length);
            for (var i = 0; i < leaves.Length; i++)
            {
                elements.Add(Encoding.UTF8.GetBytes(leaves[i].ValueKind == JsonValueKind.String
                    ? leaves[i].GetString()!
                    : throw PlatformException.Invalid($"{PathOf(what, shape, i)} is {Describe(leaves[i])}; BYTES tensors hold strings.")));
            }

            return TensorData.OfBytes("", [leaves.Length], elements).Data;
        }

        var data = new byte[(long)leaves.Length * type.ElementSize()];
        if (type is TensorDataType.FP32 or TensorDataType.FP64)
        {
            var floats = MemoryMarshal.Cast<byte, float>(data.AsSpan());
            var doubles = MemoryMarshal.Cast<byte, double>(data.AsSpan());
            for (var i = 0; i < leaves.Length; i++)
            {
                var number = Number(leaves[i], what, shape, i);
                if (type == TensorDataType.FP32)
                {
                    floats[i] = (float)number;
                }
                else
                {
                    doubles[i] = number;
                }
            }

            return data;
        }

        for (var i = 0; i < leaves.Length; i++)
        {
            Write(leaves[i], what, shape, i, type, data);
        }

        return data;
    }

    private static double Number(JsonElement leaf, string what, long[] shape, int index)
    {
        if (leaf.ValueKind != JsonValueKind.Number)
        {
            throw PlatformException.Invalid($"{PathOf(what, shape, index)} is {Describe(leaf)}; only finite numbers are accepted.");
        }

        return leaf.TryGetDouble(out var number) && double.IsFinite(number)
            ? number
            : throw PlatformException.Invalid($"{PathOf(what, shape, index)} is {leaf.GetRawText()}, which is not a finite number.");
    }

    private static void Write(JsonElement leaf, string what, long[] shape, int index, TensorDataType type, byte[] data)
    {
        if (type == TensorDataType.Bool)
        {
            data[index] = leaf.ValueKind switch
            {
                JsonValueKind.True => 1,
                JsonValueKind.False => 0,
                _ => throw PlatformException.Invalid($"{PathOf(what, shape, index)} is {Describe(leaf)}; BOOL tensors hold true or false."),
            };
            return;
        }

        if (type.IsFloat())
        {
            TensorValues.TryWrite(type, data, index, Number(leaf, what, shape, index));
            return;
        }

        if (leaf.ValueKind != JsonValueKind.Number)
        {
            throw PlatformException.Invalid($"{PathOf(what, shape, index)} is {Describe(leaf)}; only finite numbers are accepted.");
        }

        bool written;
        if (leaf.TryGetInt64(out var integer))
        {
            written = TensorValues.TryWrite(type, data, index, integer);
        }
        else if (type == TensorDataType.UInt64 && leaf.TryGetUInt64(out var unsigned))
        {
            BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(index * 8), unsigned);
            written = true;
        }
        else
        {
            throw PlatformException.Invalid($"{PathOf(what, shape, index)} is {leaf.GetRawText()}, not an integer, as {type.Name()} needs.");
        }

        if (!written)
        {
            throw PlatformException.Invalid($"{PathOf(what, shape, index)} is {leaf.GetRawText()}, outside the range of {type.Name()}.");
        }
    }

    /// <summary>The path of the flat element <paramref name="index"/>: <c>what[i][j]</c>.</summary>
    private static string PathOf(string what, long[] shape, int index)
    {
        var indices = new long[shape.Length];
        long rest = index;
        for (var d = shape.Length - 1; d >= 0; d--)
        {
            indices[d] = rest % shape[d];
            rest /= shape[d];
        }

        return what + string.Concat(indices.Select(i => $"[{i}]"));
    }

    private static void Walk(JsonElement value, long[] shape, int depth, string path, JsonElement[] leaves, ref int index)
    {
        if (depth == shape.Length)
        {
            if (value.ValueKind == JsonValueKind.Array)
            {
                throw PlatformException.Invalid($"{path} is an array where a value was expected; arrays must be rectangular.");
            }

            leaves[index++] = value;
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

        if (depth == shape.Length - 1)
        {
            var at = 0;
            foreach (var item in value.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Array)
                {
                    throw PlatformException.Invalid($"{path}[{at}] is an array where a value was expected; arrays must be rectangular.");
                }

                leaves[index++] = item;
                at++;
            }

            return;
        }

        var row = 0;
        foreach (var item in value.EnumerateArray())
        {
            Walk(item, shape, depth + 1, $"{path}[{row++}]", leaves, ref index);
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
