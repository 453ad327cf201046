using System.Text.Unicode;
using static TorchSharp.torch;

namespace OrleansML.Torch;

/// <summary>
/// TorchSharp's weight format (what <c>Module.save</c> writes): a LEB128 count of tensors, then for each a name
/// (a 7-bit length-prefixed UTF-8 string), its LEB128 dtype, rank and dimensions, and exactly the bytes those
/// describe; nothing follows the last tensor. <c>Module.load</c> allocates a rank's worth of dimensions before it
/// compares them with the module, so the structure is walked here first, without allocating what it declares.
/// </summary>
public static class NativeWeights
{
    private const int MaxTensors = 1 << 20;
    private const int MaxNameBytes = 4096;
    private const int MaxRank = 64;

    /// <summary>Null when <paramref name="artifact"/> is well-formed native weights, else what is wrong and where.</summary>
    public static string? Problem(byte[] artifact)
    {
        var position = 0;
        var count = Decode(artifact, ref position);
        if (count is not (> 0 and <= MaxTensors))
        {
            return $"it does not start with a tensor count (read {Describe(count)})";
        }

        for (var i = 0; i < count; i++)
        {
            var problem = Tensor(artifact, ref position);
            if (problem is not null)
            {
                return $"tensor {i} of {count}: {problem} (at byte {position})";
            }
        }

        return position == artifact.Length ? null : $"{artifact.Length - position} bytes follow the last of its {count} tensors";
    }

    private static string? Tensor(byte[] artifact, ref int position)
    {
        var nameLength = Decode(artifact, ref position);
        if (nameLength is not (> 0 and <= MaxNameBytes) || nameLength > artifact.Length - position)
        {
            return $"no name (length read: {Describe(nameLength)})";
        }

        if (!Utf8.IsValid(artifact.AsSpan(position, (int)nameLength)))
        {
            return "its name is not UTF-8";
        }

        position += (int)nameLength;
        var elementSize = Decode(artifact, ref position) is { } type ? ElementSize((ScalarType)type) : 0;
        if (elementSize == 0)
        {
            return "an unknown element type";
        }

        var rank = Decode(artifact, ref position);
        if (rank is not { } dimensionCount || dimensionCount > MaxRank)
        {
            return $"a rank of {Describe(rank)}";
        }

        var dimensions = new long?[dimensionCount];
        for (var d = 0; d < dimensions.Length; d++)
        {
            dimensions[d] = Decode(artifact, ref position);
        }

        // The bytes after the dimensions bound their product: checked by division, it never overflows, and a tensor
        // that passes fits in what remains.
        long remaining = (artifact.Length - position) / elementSize;
        long elements = 1;
        for (var d = 0; d < dimensions.Length; d++)
        {
            if (dimensions[d] is not { } dimension || dimension < 0 || (dimension != 0 && elements > remaining / dimension))
            {
                return $"dimension {d} ({Describe(dimensions[d])}) declares more data than the file holds";
            }

            elements *= dimension;
        }

        position += (int)(elements * elementSize);
        return null;
    }

    /// <summary>An unsigned LEB128 value as TorchSharp writes it; null when it is cut off or longer than 63 bits.</summary>
    private static long? Decode(byte[] artifact, ref int position)
    {
        long value = 0;
        for (var shift = 0; shift < 63; shift += 7)
        {
            if (position >= artifact.Length)
            {
                return null;
            }

            var next = artifact[position++];
            value |= (long)(next & 0x7F) << shift;
            if ((next & 0x80) == 0)
            {
                return value;
            }
        }

        return null;
    }

    private static int ElementSize(ScalarType type) => type switch
    {
        ScalarType.Byte or ScalarType.Int8 or ScalarType.Bool => 1,
        ScalarType.Int16 or ScalarType.Float16 or ScalarType.BFloat16 => 2,
        ScalarType.Int32 or ScalarType.Float32 => 4,
        ScalarType.Int64 or ScalarType.Float64 or ScalarType.ComplexFloat32 => 8,
        ScalarType.ComplexFloat64 => 16,
        _ => 0,
    };

    private static string Describe(long? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "a cut-off number";
}
