using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace OrleansML.Serving;

/// <summary>
/// A named tensor as it travels from a protocol front end to the model and back: its datatype, its shape, and its
/// values row-major in their own width in one contiguous little-endian buffer (the layout of the V2 binary
/// extension and of gRPC's raw contents), so a grain call copies it as one block and nothing is widened on the way.
/// <see cref="TensorDataType.Bytes"/> elements are each a 4-byte little-endian length followed by the bytes.
/// An empty <see cref="Name"/> means "the model's only input" (protocols whose requests do not name inputs).
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Serving.TensorData")]
public sealed record TensorData(
    [property: Id(0)] string Name,
    [property: Id(1)] TensorDataType DataType,
    [property: Id(2)] long[] Shape,
    [property: Id(3)] byte[] Data)
{
    /// <summary>Values in the tensor: the product of its dimensions (1 for a scalar).</summary>
    public long ElementCount => Shape.Aggregate(1L, (count, size) => count * size);

    /// <summary>The values of a fixed-width tensor as <typeparamref name="T"/> (no copy).</summary>
    public ReadOnlySpan<T> Values<T>() where T : unmanaged => MemoryMarshal.Cast<byte, T>(Data);

    /// <summary>A tensor of <paramref name="values"/>; the datatype follows <typeparamref name="T"/> unless given (BF16 travels as ushort).</summary>
    public static TensorData Of<T>(string name, long[] shape, ReadOnlySpan<T> values, TensorDataType? dataType = null) where T : unmanaged =>
        new(name, dataType ?? DataTypeOf<T>(), shape, MemoryMarshal.AsBytes(values).ToArray());

    /// <summary>A BYTES tensor of <paramref name="elements"/>.</summary>
    public static TensorData OfBytes(string name, long[] shape, IReadOnlyList<byte[]> elements)
    {
        var data = new byte[elements.Sum(e => 4L + e.Length)];
        var offset = 0;
        foreach (var element in elements)
        {
            BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(offset), element.Length);
            element.CopyTo(data, offset + 4);
            offset += 4 + element.Length;
        }

        return new TensorData(name, TensorDataType.Bytes, shape, data);
    }

    /// <summary>A BYTES tensor of UTF-8 strings.</summary>
    public static TensorData OfStrings(string name, long[] shape, IEnumerable<string> values) =>
        OfBytes(name, shape, values.Select(Encoding.UTF8.GetBytes).ToList());

    /// <summary>The elements of a BYTES tensor.</summary>
    public List<byte[]> BytesElements()
    {
        var elements = new List<byte[]>();
        var span = Data.AsSpan();
        while (span.Length >= 4)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(span);
            elements.Add(span.Slice(4, length).ToArray());
            span = span[(4 + length)..];
        }

        return elements;
    }

    /// <summary>Every element as a double (JSON writers, tests); BYTES has no numeric value.</summary>
    public double[] ToDoubles()
    {
        var result = new double[ElementCount];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = TensorValues.ToDouble(DataType, Data, i);
        }

        return result;
    }

    private static TensorDataType DataTypeOf<T>() => default(T) switch
    {
        bool => TensorDataType.Bool,
        byte => TensorDataType.UInt8,
        ushort => TensorDataType.UInt16,
        uint => TensorDataType.UInt32,
        ulong => TensorDataType.UInt64,
        sbyte => TensorDataType.Int8,
        short => TensorDataType.Int16,
        int => TensorDataType.Int32,
        long => TensorDataType.Int64,
        Half => TensorDataType.FP16,
        float => TensorDataType.FP32,
        double => TensorDataType.FP64,
        _ => throw new ArgumentException($"{typeof(T).Name} is not a tensor element type."),
    };
}
