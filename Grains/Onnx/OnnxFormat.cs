namespace OrleansML.Onnx;

/// <summary>
/// Recognises an ONNX file (a protobuf <c>ModelProto</c>) from its top-level fields, without parsing the graph:
/// each field's tag must be one ModelProto has with its wire type, each length must fit in the file, and
/// <c>ir_version</c> (field 1) and <c>graph</c> (field 7) must be there. A TorchScript zip starts with <c>PK</c>
/// and TorchSharp's weights with a tensor count and a name, so neither walks as one.
/// </summary>
public static class OnnxFormat
{
    private const int Varint = 0;
    private const int Fixed64 = 1;
    private const int LengthDelimited = 2;
    private const int Fixed32 = 5;

    /// <summary>ModelProto's fields (onnx.proto3) and their wire types.</summary>
    private static readonly Dictionary<int, (string Name, int WireType)> Fields = new()
    {
        [1] = ("ir_version", Varint),
        [2] = ("producer_name", LengthDelimited),
        [3] = ("producer_version", LengthDelimited),
        [4] = ("domain", LengthDelimited),
        [5] = ("model_version", Varint),
        [6] = ("doc_string", LengthDelimited),
        [7] = ("graph", LengthDelimited),
        [8] = ("opset_import", LengthDelimited),
        [14] = ("metadata_props", LengthDelimited),
        [20] = ("training_info", LengthDelimited),
        [25] = ("functions", LengthDelimited),
        [26] = ("configuration", LengthDelimited),
    };

    /// <summary>The file's first field is <c>ir_version</c>, as every exporter writes it: the uploader means ONNX.</summary>
    public static bool StartsLikeModel(ReadOnlySpan<byte> artifact)
    {
        var position = 0;
        return artifact.Length > 2 && artifact[0] == 0x08 && ReadVarint(artifact, ref position) is not null
            && ReadVarint(artifact, ref position) is > 0 and < 1000 && position < artifact.Length && Known(artifact[position]);
    }

    /// <summary>Null when the top level walks as a ModelProto; otherwise what is wrong and where.</summary>
    public static string? Problem(ReadOnlySpan<byte> artifact)
    {
        var position = 0;
        var seen = new HashSet<int>();
        while (position < artifact.Length)
        {
            var at = position;
            if (ReadVarint(artifact, ref position) is not { } tag)
            {
                return $"is truncated: a field tag at byte {at} runs past the end of the file";
            }

            var (field, wireType) = ((int)Math.Min(tag >> 3, int.MaxValue), (int)(tag & 7));
            if (!Fields.TryGetValue(field, out var known))
            {
                return $"is not an ONNX model: byte {at} starts field {field} (wire type {wireType}), which an ONNX ModelProto does not have";
            }

            if (known.WireType != wireType)
            {
                return $"is not an ONNX model: field {field} ({known.Name}) at byte {at} has wire type {wireType}, not {known.WireType}";
            }

            seen.Add(field);
            var skipped = wireType switch
            {
                Varint => ReadVarint(artifact, ref position) is not null,
                LengthDelimited => Skip(artifact, ref position),
                Fixed64 => Advance(artifact, ref position, 8),
                Fixed32 => Advance(artifact, ref position, 4),
                _ => false,
            };
            if (!skipped)
            {
                return $"is a truncated ONNX model: field {field} ({known.Name}) at byte {at} runs past the end of the file ({artifact.Length} bytes)";
            }
        }

        return !seen.Contains(1) ? "is not an ONNX model: it has no ir_version (field 1)"
            : !seen.Contains(7) ? "is an ONNX protobuf without a graph (field 7), so not a model"
            : null;
    }

    private static bool Known(byte tag) => Fields.TryGetValue(tag >> 3, out var known) && known.WireType == (tag & 7);

    private static bool Skip(ReadOnlySpan<byte> artifact, ref int position) =>
        ReadVarint(artifact, ref position) is { } length && length <= int.MaxValue && Advance(artifact, ref position, (long)length);

    private static bool Advance(ReadOnlySpan<byte> artifact, ref int position, long count)
    {
        if (count > artifact.Length - position)
        {
            return false;
        }

        position += (int)count;
        return true;
    }

    private static ulong? ReadVarint(ReadOnlySpan<byte> artifact, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64 && position < artifact.Length; shift += 7)
        {
            var b = artifact[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        return null;
    }
}
