using System.Text.Json.Nodes;
using OrleansML.Serving;

namespace OrleansML.Api.Models;

/// <summary>A line of <c>GET /api/models</c>.</summary>
public sealed record ModelSummary(string Name, int Versions, IReadOnlyDictionary<string, int> Labels, int? DefaultVersion)
{
    public static ModelSummary From(ModelInfo model) => new(model.Name, model.Versions.Count, model.Labels, model.DefaultVersion);
}

/// <summary>A version as the API shows it: the model's name with the version's fields (the storage key stays inside).</summary>
public sealed record ModelVersionView(
    string Name,
    int Version,
    VersionState State,
    ModelFormat Format,
    ModelSignature Signature,
    ArchitectureSpec? Architecture,
    Standardization? Preprocessing,
    string Sha256,
    long SizeBytes,
    DateTimeOffset CreatedAt,
    string Source,
    string? FailureReason,
    IReadOnlyDictionary<string, double> Metrics)
{
    public static ModelVersionView From(string name, ModelVersionInfo v) => new(
        name, v.Version, v.State, v.Format, v.Signature, v.Architecture, v.Preprocessing, v.Sha256, v.SizeBytes,
        v.CreatedAt, v.Source, v.FailureReason, v.Metrics);
}

public sealed record CreateModelBody(string Name, ArchitectureSpec Architecture, int Seed = 0);

public sealed record SetLabelBody(int Version);

public sealed record TrafficSplitBody(Dictionary<string, int> Weights);

public sealed record VersionPolicyBody(int KeepLatest);

/// <summary>Native predictions: outputs nested per row, like the inputs.</summary>
public sealed record PredictResponse(string Model, int Version, JsonNode Outputs, string Silo);
