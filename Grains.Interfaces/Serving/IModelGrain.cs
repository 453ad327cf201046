using Orleans.Concurrency;
using OrleansML.Serving.Rollouts;

namespace OrleansML.Serving;

/// <summary>
/// The control plane of one model (keyed by its name): versions and their states, labels, traffic split, version
/// policy and batching settings. It warms a version on every silo before a label moves to it and pushes routing
/// changes to the replicas; it never serves predictions itself (see <see cref="IPredictorGrain"/>).
/// Refusals throw <see cref="Errors.PlatformException"/>.
/// </summary>
[Alias("OrleansML.Serving.IModelGrain")]
public interface IModelGrain : IGrainWithStringKey
{
    /// <summary>The model, or null when it does not exist. Answers even while a version is LOADING.</summary>
    [Alias("GetAsync"), AlwaysInterleave]
    Task<ModelInfo?> GetAsync();

    /// <summary>Validates a staged artifact and registers it as the next version (the model is created if new).</summary>
    [Alias("AddVersionAsync")]
    Task<ModelVersionInfo> AddVersionAsync(NewModelVersion request);

    /// <summary>Creates the model with version 1 built from <paramref name="architecture"/>, weights initialised from <paramref name="seed"/>.</summary>
    [Alias("CreateAsync")]
    Task<ModelInfo> CreateAsync(ArchitectureSpec architecture, int seed);

    /// <summary>Points a label at an available version, after warming that version on every silo.</summary>
    [Alias("SetLabelAsync")]
    Task<ModelInfo> SetLabelAsync(string label, int version);

    [Alias("RemoveLabelAsync")]
    Task<ModelInfo> RemoveLabelAsync(string label);

    /// <summary>Sets label weights for unaddressed requests; an empty map clears the split.</summary>
    [Alias("SetTrafficSplitAsync")]
    Task<ModelInfo> SetTrafficSplitAsync(Dictionary<string, int> weights);

    /// <summary>Keeps the latest <paramref name="keepLatest"/> versions plus labelled ones (0 keeps all).</summary>
    [Alias("SetVersionPolicyAsync")]
    Task<ModelInfo> SetVersionPolicyAsync(int keepLatest);

    [Alias("SetBatchingAsync")]
    Task<ModelInfo> SetBatchingAsync(BatchingSettings batching);

    /// <summary>
    /// Sets how the model's ONNX versions open their sessions: the serving ones are loaded with the new settings on
    /// every silo before routing moves to them (a silo that cannot load them refuses the change, 409).
    /// </summary>
    [Alias("SetOnnxSessionAsync")]
    Task<ModelInfo> SetOnnxSessionAsync(OnnxSessionSettings settings);

    /// <summary>Deletes a version and its artifact; refused while a label points at it.</summary>
    [Alias("DeleteVersionAsync")]
    Task<ModelInfo> DeleteVersionAsync(int version);

    /// <summary>
    /// Mirrors <see cref="ShadowSettings.Percent"/> of the requests other versions answer to a version, after warming it
    /// on every silo; a null version stops the shadow. The shadow may not be a version unaddressed requests already reach.
    /// </summary>
    [Alias("SetShadowAsync")]
    Task<ModelInfo> SetShadowAsync(int? version, double percent);

    /// <summary>Marks a version FAILED with a reason (a silo could not load or verify it).</summary>
    [Alias("ReportLoadFailureAsync")]
    Task ReportLoadFailureAsync(int version, string reason);

    /// <summary>
    /// Starts a progressive rollout of a candidate version against the version a baseline label points at; the
    /// grain then drives it by itself (a timer, and a reminder that brings it back after its silo dies).
    /// </summary>
    [Alias("StartRolloutAsync")]
    Task<RolloutInfo> StartRolloutAsync(RolloutSpec spec);

    /// <summary>The current or last rollout with the running step's live figures, or null when the model never had one.</summary>
    [Alias("GetRolloutAsync"), AlwaysInterleave]
    Task<RolloutInfo?> GetRolloutAsync();

    /// <summary>Aborts the running rollout: every unaddressed request goes back to the baseline at once.</summary>
    [Alias("AbortRolloutAsync")]
    Task<RolloutInfo> AbortRolloutAsync();
}
