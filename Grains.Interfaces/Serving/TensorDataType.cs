using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansML.Serving;

/// <summary>
/// The element types of the KServe V2 protocol. On the wire (JSON, binary, gRPC) each is written with its V2 name
/// (<c>BOOL</c>, <c>UINT8</c>, ..., <c>FP32</c>, <c>BYTES</c>); see <see cref="TensorDataTypes"/>.
/// </summary>
[GenerateSerializer, Alias("OrleansML.Serving.TensorDataType")]
[JsonConverter(typeof(TensorDataTypeJsonConverter))]
public enum TensorDataType
{
    Bool,
    UInt8,
    UInt16,
    UInt32,
    UInt64,
    Int8,
    Int16,
    Int32,
    Int64,
    FP16,
    BF16,
    FP32,
    FP64,

    /// <summary>Variable-length byte strings: each element is a 4-byte little-endian length followed by its bytes.</summary>
    Bytes,
}

/// <summary>V2 names and element sizes of <see cref="TensorDataType"/>.</summary>
public static class TensorDataTypes
{
    private static readonly string[] Names =
        ["BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16", "BF16", "FP32", "FP64", "BYTES"];

    /// <summary>Every V2 name, in enum order, for error messages.</summary>
    public static IReadOnlyList<string> All => Names;

    public static string Name(this TensorDataType type) => Names[(int)type];

    /// <summary>The type a V2 name denotes (exact, upper case, as the protocol spells it), or null.</summary>
    public static TensorDataType? Parse(string? name)
    {
        var index = name is null ? -1 : Array.IndexOf(Names, name);
        return index < 0 ? null : (TensorDataType)index;
    }

    /// <summary>Bytes per element; 0 for <see cref="TensorDataType.Bytes"/>, whose elements carry their own length.</summary>
    public static int ElementSize(this TensorDataType type) => type switch
    {
        TensorDataType.Bool or TensorDataType.UInt8 or TensorDataType.Int8 => 1,
        TensorDataType.UInt16 or TensorDataType.Int16 or TensorDataType.FP16 or TensorDataType.BF16 => 2,
        TensorDataType.UInt32 or TensorDataType.Int32 or TensorDataType.FP32 => 4,
        TensorDataType.UInt64 or TensorDataType.Int64 or TensorDataType.FP64 => 8,
        _ => 0,
    };

    public static bool IsFloat(this TensorDataType type) =>
        type is TensorDataType.FP16 or TensorDataType.BF16 or TensorDataType.FP32 or TensorDataType.FP64;

    public static string Supported => string.Join(", ", Names);
}

/// <summary>Writes and reads <see cref="TensorDataType"/> as its V2 name, so signatures and requests read as the protocol does.</summary>
public sealed class TensorDataTypeJsonConverter : JsonConverter<TensorDataType>
{
    public override TensorDataType Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var name = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return TensorDataTypes.Parse(name?.ToUpperInvariant())
            ?? throw new JsonException($"'{name}' is not a tensor datatype; use one of {TensorDataTypes.Supported}.");
    }

    public override void Write(Utf8JsonWriter writer, TensorDataType value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Name());
}
