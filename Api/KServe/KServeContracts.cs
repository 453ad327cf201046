using System.Text.Json.Serialization;
using OrleansML.Serving;

namespace OrleansML.Api.KServe;

/// <summary><c>GET /v2</c>: the server metadata response.</summary>
public sealed record ServerMetadata(string Name, string Version, string[] Extensions);

/// <summary><c>GET /v2/models/{m}</c>: the model metadata response.</summary>
public sealed record ModelMetadata(string Name, string[] Versions, string Platform, MetadataTensor[] Inputs, MetadataTensor[] Outputs)
{
    public static ModelMetadata From(ModelInfo model, ModelVersionInfo version) => new(
        model.Name,
        model.Versions.Select(v => v.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
        version.Format == ModelFormat.TorchScript ? "pytorch_torchscript" : "orleansml_native",
        [MetadataTensor.From(version.Signature.Input)],
        version.Signature.Outputs.Select(MetadataTensor.From).ToArray());
}

public sealed record MetadataTensor(string Name, string Datatype, long[] Shape)
{
    public static MetadataTensor From(TensorSpec spec) => new(spec.Name, spec.DataType, spec.Shape);
}

/// <summary><c>POST /v2/models/{m}/infer</c>: the inference response, with flat row-major data.</summary>
public sealed record InferResponse(
    [property: JsonPropertyName("model_name")] string ModelName,
    [property: JsonPropertyName("model_version")] string ModelVersion,
    [property: JsonPropertyName("id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Id,
    [property: JsonPropertyName("outputs")] InferOutput[] Outputs);

public sealed record InferOutput(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("datatype")] string Datatype,
    [property: JsonPropertyName("shape")] long[] Shape,
    [property: JsonPropertyName("data")] double[] Data);

/// <summary>One model version in the repository index (<c>POST /v2/repository/index</c>).</summary>
public sealed record RepositoryEntry(string Name, string Version, string State, string Reason)
{
    public static RepositoryEntry From(string model, ModelVersionInfo version) => new(
        model,
        version.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
        version.State switch
        {
            VersionState.Available => "READY",
            VersionState.Loading => "LOADING",
            VersionState.Unloading => "UNLOADING",
            _ => "UNAVAILABLE",
        },
        version.FailureReason ?? "");
}
