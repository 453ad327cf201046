using System.Text.Json.Nodes;
using OrleansML.Serving;
using OrleansML.Serving.Rollouts;

namespace OrleansML.Api.Models;

/// <summary>A line of <c>GET /api/models</c>.</summary>
public sealed record ModelSummary(string Name, int Versions, IReadOnlyDictionary<string, int> Labels, int? DefaultVersion, RolloutSummary? Rollout)
{
    public static ModelSummary From(ModelInfo model) =>
        new(model.Name, model.Versions.Count, model.Labels, model.DefaultVersion, RolloutSummary.From(model.Rollout));
}

/// <summary>A model's current or last rollout in one line: the candidate, its state, step and share, the last decision.</summary>
public sealed record RolloutSummary(int Candidate, string Baseline, RolloutState State, int Step, int Percent, RolloutDecision Decision, RolloutGuard? Guard)
{
    public static RolloutSummary? From(RolloutInfo? rollout) => rollout is null
        ? null
        : new(rollout.Spec.Candidate, rollout.Spec.Baseline, rollout.State, rollout.Step, rollout.Percent, rollout.Decision, rollout.Guard);
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
