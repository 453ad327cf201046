using System.Text.Json;
using System.Text.Json.Serialization;
using OrleansML.Serving;

namespace OrleansML.Repository;

/// <summary>
/// A model folder's optional <c>config.json</c>: the signature and preprocessing its versions are imported with, the
/// labels to point (<c>{"stable": 2}</c>), and batching. Unknown fields are refused, so a misspelt one is reported
/// instead of ignored.
/// </summary>
public sealed record RepositoryModelConfig(
    ModelSignature? Signature = null,
    Standardization? Preprocessing = null,
    Dictionary<string, int>? Labels = null,
    BatchingSettings? Batching = null)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new TensorDataTypeJsonConverter(), new JsonStringEnumConverter() },
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = false,
    };

    /// <summary>Reads a config.json or architecture.json; throws <see cref="InvalidDataException"/> naming the file and the fault.</summary>
    public static async Task<T> ReadAsync<T>(Stream content, string path, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(content, Json, cancellationToken)
                ?? throw new InvalidDataException($"{path} is null; it must be a JSON object.");
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"{path} does not parse: {exception.Message}");
        }
    }
}
