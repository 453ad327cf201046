using System.Buffers.Binary;

namespace OrleansML.Serving;

/// <summary>
/// Reads and writes single elements of a little-endian tensor buffer of any fixed-width datatype. Only the JSON
/// edges and datatype conversion go element by element; binary and gRPC buffers pass through whole.
/// </summary>
public static class TensorValues
{
    public static double ToDouble(TensorDataType type, ReadOnlySpan<byte> data, long index)
    {
        var at = (int)(index * type.ElementSize());
        var span = data[at..];
        return type switch
        {
            TensorDataType.Bool => span[0] != 0 ? 1 : 0,
            TensorDataType.UInt8 => span[0],
            TensorDataType.Int8 => (sbyte)span[0],
            TensorDataType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(span),
            TensorDataType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(span),
            TensorDataType.FP16 => (double)BinaryPrimitives.ReadHalfLittleEndian(span),
            TensorDataType.BF16 => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(span) << 16),
            TensorDataType.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(span),
            TensorDataType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(span),
            TensorDataType.FP32 => BinaryPrimitives.ReadSingleLittleEndian(span),
            TensorDataType.UInt64 => BinaryPrimitives.ReadUInt64LittleEndian(span),
            TensorDataType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(span),
            TensorDataType.FP64 => BinaryPrimitives.ReadDoubleLittleEndian(span),
            _ => throw new InvalidOperationException("BYTES elements have no numeric value."),
        };
    }

    /// <summary>The 64-bit integer at <paramref name="index"/> of an integer or BOOL buffer, exactly (no trip through double).</summary>
    public static long ToInt64(TensorDataType type, ReadOnlySpan<byte> data, long index)
    {
        var span = data[(int)(index * type.ElementSize())..];
        return type switch
        {
            TensorDataType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(span),
            TensorDataType.UInt64 => (long)BinaryPrimitives.ReadUInt64LittleEndian(span),
            _ => (long)ToDouble(type, data, index),
        };
    }

    /// <summary>
    /// Writes <paramref name="value"/> as element <paramref name="index"/> of <paramref name="type"/>; false when it
    /// is not representable (a fraction or an out-of-range value for an integer type, anything but 0/1 for BOOL).
    /// </summary>
    public static bool TryWrite(TensorDataType type, Span<byte> data, long index, double value)
    {
        var span = data[(int)(index * type.ElementSize())..];
        if (!type.IsFloat() && (Math.Floor(value) != value || !double.IsFinite(value)))
        {
            return false;
        }

        switch (type)
        {
            case TensorDataType.Bool when value is 0 or 1:
                span[0] = (byte)value;
                return true;
            case TensorDataType.UInt8 when value is >= byte.MinValue and <= byte.MaxValue:
                span[0] = (byte)value;
                return true;
            case TensorDataType.Int8 when value is >= sbyte.MinValue and <= sbyte.MaxValue:
                span[0] = (byte)(sbyte)value;
                return true;
            case TensorDataType.UInt16 when value is >= ushort.MinValue and <= ushort.MaxValue:
                BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)value);
                return true;
            case TensorDataType.Int16 when value is >= short.MinValue and <= short.MaxValue:
                BinaryPrimitives.WriteInt16LittleEndian(span, (short)value);
                return true;
            case TensorDataType.UInt32 when value is >= uint.MinValue and <= uint.MaxValue:
                BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)value);
                return true;
            case TensorDataType.Int32 when value is >= int.MinValue and <= int.MaxValue:
                BinaryPrimitives.WriteInt32LittleEndian(span, (int)value);
                return true;
            case TensorDataType.UInt64 when value is >= 0 and < 18446744073709551616.0:
                BinaryPrimitives.WriteUInt64LittleEndian(span, (ulong)value);
                return true;
            case TensorDataType.Int64 when value is >= -9223372036854775808.0 and < 9223372036854775808.0:
                BinaryPrimitives.WriteInt64LittleEndian(span, (long)value);
                return true;
            case TensorDataType.FP16:
                BinaryPrimitives.WriteHalfLittleEndian(span, (Half)value);
                return true;
            case TensorDataType.BF16:
                BinaryPrimitives.WriteUInt16LittleEndian(span, ToBFloat16((float)value));
                return true;
            case TensorDataType.FP32:
                BinaryPrimitives.WriteSingleLittleEndian(span, (float)value);
                return true;
            case TensorDataType.FP64:
                BinaryPrimitives.WriteDoubleLittleEndian(span, value);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Writes an exact 64-bit integer (JSON integers beyond 2^53 keep every digit).</summary>
    public static bool TryWrite(TensorDataType type, Span<byte> data, long index, long value)
    {
        var span = data[(int)(index * type.ElementSize())..];
        switch (type)
        {
            case TensorDataType.Int64:
                BinaryPrimitives.WriteInt64LittleEndian(span, value);
                return true;
            case TensorDataType.UInt64 when value >= 0:
                BinaryPrimitives.WriteUInt64LittleEndian(span, (ulong)value);
                return true;
            default:
                return TryWrite(type, data, index, (double)value);
        }
    }

    /// <summary>Round to nearest even, as PyTorch converts float to bfloat16.</summary>
    private static ushort ToBFloat16(float value)
    {
        var bits = (uint)BitConverter.SingleToInt32Bits(value);
        if (float.IsNaN(value))
        {
            return (ushort)((bits >> 16) | 0x40);
        }

        return (ushort)((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16);
    }
}
