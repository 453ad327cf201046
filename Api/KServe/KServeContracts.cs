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
        version.Format switch
        {
            ModelFormat.TorchScript => "pytorch_torchscript",
            ModelFormat.Onnx => "onnxruntime_onnx",
            _ => "orleansml_native",
        },
        version.Signature.Inputs.Select(MetadataTensor.From).ToArray(),
        version.Signature.Outputs.Select(MetadataTensor.From).ToArray());
}

public sealed record MetadataTensor(string Name, TensorDataType Datatype, long[] Shape)
{
    public static MetadataTensor From(TensorSpec spec) => new(spec.Name, spec.DataType, spec.Shape);
}

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
