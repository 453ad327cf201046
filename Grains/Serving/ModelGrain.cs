using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansML.Errors;
using OrleansML.History;
using OrleansML.Serving.Rollouts;
using OrleansML.Storage;
using OrleansML.Torch;
using TorchSharp;

namespace OrleansML.Serving;

/// <summary>
/// One model's control plane. Every change is persisted, then pushed to every silo's routing table; a version is
/// warmed on every silo before any route (label, split, rollout or default) leads to it, so swaps never stall a
/// request. It also drives the model's progressive rollout (<see cref="ModelGrain.Rollouts"/>).
/// </summary>
public sealed class ModelGrain(
    [PersistentState(stateName: "model", storageName: StorageNames.Platform)] IPersistentState<ModelState> state,
    IArtifactStore artifacts,
    VersionValidator validator,
    ClusterBroadcast cluster,
    ModelHistoryRecorder history,
    IOptions<ServingOptions> options,
    ILogger<ModelGrain> logger) : Grain, IModelGrain, IRemindable
{
    private ModelInfo? _loading;
    private RolloutDriver? _rollouts;

    private string Name => this.GetPrimaryKeyString();

    private RolloutDriver Rollouts => _rollouts ??= new RolloutDriver(
        this, Name, cluster, options.Value, logger, () => state.State.Rollout, ApplyRolloutAsync);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        history.Start(Exists ? Snapshot() : null);
        Rollouts.Resume();
        return Task.CompletedTask;
    }

    private bool Exists => state.State.Versions.Count > 0 || state.State.LastVersion > 0;

    public Task<ModelInfo?> GetAsync() => Task.FromResult(_loading ?? (Exists ? Snapshot() : null));

    public async Task<ModelVersionInfo> AddVersionAsync(NewModelVersion request)
    {
        ResourceNames.Validate(Name, "model");
        try
        {
            var number = VersionNumbering.Resolve(state.State, request, Name);
            _loading = Snapshot() with { Versions = [.. state.State.Versions.Where(v => v.Version != number), Placeholder(number, request)] };
            var version = await ValidateAsync(number, request);
            await artifacts.MoveAsync(request.StagingKey, version.ArtifactKey);
            var before = Snapshot().DefaultVersion;
            VersionNumbering.Put(state.State, version);
            var serving = Snapshot();
            if (serving.DefaultVersion != before && serving.TrafficSplit.Count == 0)
            {
                await cluster.WarmAsync(serving, number);
            }

            await ApplyVersionPolicyAsync();
            await CommitAsync();
            // Idempotent, and after the commit: a model that failed to register here is registered by its next version.
            await GrainFactory.GetGrain<IModelCatalogGrain>(0).AddAsync(Name);
            return version;
        }
        catch
        {
            await artifacts.DeleteAsync(request.StagingKey);
            throw;
        }
        finally
        {
            _loading = null;
        }
    }

    /// <summary>Validates the artifact; a refusal the caller asked to keep becomes a FAILED version first.</summary>
    private async Task<ModelVersionInfo> ValidateAsync(int number, NewModelVersion request)
    {
        try
        {
            return (await validator.ValidateAsync(Name, number, request)).Version;
        }
        catch (PlatformException refused) when (request.RecordFailure && refused.Kind == ErrorKind.Invalid)
        {
            VersionNumbering.Put(state.State, Placeholder(number, request) with { State = VersionState.Failed, FailureReason = refused.Message });
            await CommitAsync();
            await GrainFactory.GetGrain<IModelCatalogGrain>(0).AddAsync(Name);
            throw;
        }
    }

    public async Task<ModelInfo> CreateAsync(ArchitectureSpec architecture, int seed)
    {
        ResourceNames.Validate(Name, "model");
        if (Exists)
        {
            throw PlatformException.Conflict($"model '{Name}' already exists.");
        }

        ArchitectureBuilder.Validate(architecture);
        byte[] weights;
        lock (TorchGenerator.Lock)
        {
            // torch's generator is process-wide: seed and draw under one lock so concurrent creations stay reproducible.
            torch.manual_seed(seed);
            using var module = ArchitectureBuilder.Build(architecture);
            weights = ModelArtifacts.SaveNative(module);
        }

        var staging = $"staging/{Guid.NewGuid():N}";
        await artifacts.WriteAsync(staging, new MemoryStream(weights));
        await AddVersionAsync(new NewModelVersion
        {
            StagingKey = staging,
            Format = ModelFormat.Native,
            Architecture = architecture,
            Source = $"architecture:seed={seed}",
        });
        return Snapshot();
    }

    public async Task<ModelInfo> SetLabelAsync(string label, int version)
    {
        RequireModel();
        RequireNoRollout("labels");
        ValidateLabel(label);
        var target = RequireAvailable(version);
        await WarmOrFailAsync(target.Version);
        state.State.Labels[label] = version;
        await CommitAsync();
        return Snapshot();
    }

    public async Task<ModelInfo> RemoveLabelAsync(string label)
    {
        RequireModel();
        RequireNoRollout("labels");
        if (state.State.TrafficSplit.ContainsKey(label))
        {
            throw PlatformException.Conflict($"label '{label}' is part of the traffic split; change the split first.");
        }

        if (!state.State.Labels.Remove(label))
        {
            throw PlatformException.NotFound($"label '{label}' not found on model '{Name}'.");
        }

        await CommitAsync();
        return Snapshot();
    }

    public async Task<ModelInfo> SetTrafficSplitAsync(Dictionary<string, int> weights)
    {
        RequireModel();
        RequireNoRollout("the traffic split");
        foreach (var (label, weight) in weights)
        {
            if (!state.State.Labels.TryGetValue(label, out var version))
            {
                throw PlatformException.Invalid($"traffic split names label '{label}', which model '{Name}' does not have.");
            }

            if (weight < 0)
            {
                throw PlatformException.Invalid($"traffic split weight of '{label}' is {weight}; weights must be 0 or more.");
            }

            RequireAvailable(version);
        }

        // Summed as longs: two weights of int.MaxValue overflowed the int sum (a 500); the route picks by Random.Next(total).
        var total = weights.Values.Sum(w => (long)w);
        if (total > int.MaxValue)
        {
            throw PlatformException.Invalid($"traffic split weights add up to {total}; the total must be at most {int.MaxValue}.");
        }

        if (weights.Count > 0 && total == 0)
        {
            throw PlatformException.Invalid("traffic split weights add up to 0; give at least one label a positive weight.");
        }

        state.State.TrafficSplit = new Dictionary<string, int>(weights.Where(w => w.Value > 0));
        await CommitAsync();
        return Snapshot();
    }

    public async Task<ModelInfo> SetVersionPolicyAsync(int keepLatest)
    {
        RequireModel();
        if (keepLatest < 0)
        {
            throw PlatformException.Invalid($"keepLatest must be 0 (keep all) or more (got {keepLatest}).");
        }

        state.State.KeepLatest = keepLatest;
        await ApplyVersionPolicyAsync();
        await CommitAsync();
        return Snapshot();
    }

    public async Task<ModelInfo> SetBatchingAsync(BatchingSettings batching)
    {
        RequireModel();
        if (batching.MaxBatchSize is < 1 or > 4096 || batching.MaxQueueDelayMs is < 0 or > 1000 || double.IsNaN(batching.MaxQueueDelayMs))
        {
            throw PlatformException.Invalid("batching needs maxBatchSize in 1..4096 and maxQueueDelayMs in 0..1000.");
        }

        state.State.Batching = batching;
        await CommitAsync();
        // Replicas take batching settings when they load: reload the serving versions with the new ones.
        await cluster.PublishAsync(Name, null);
        await cluster.PublishAsync(Name, Snapshot());
        return Snapshot();
    }

    public async Task<ModelInfo> SetOnnxSessionAsync(OnnxSessionSettings settings)
    {
        RequireModel();
        if (settings.Problem() is { } problem)
        {
            throw PlatformException.Invalid(problem);
        }

        if (settings == state.State.OnnxSession)
        {
            return Snapshot();
        }

        // The serving ONNX versions load with the new settings on every silo (beside the replicas that answer now)
        // before routing moves to them; the commit's routing then retires the old replicas once their requests end.
        var next = Snapshot() with { OnnxSession = settings };
        var serving = RouteSelector.ServingVersions(next);
        foreach (var version in next.Versions.Where(v => v.Format == ModelFormat.Onnx && v.State == VersionState.Available && serving.Contains(v.Version)))
        {
            try
            {
                await cluster.WarmAsync(next, version.Version);
            }
            catch (PlatformException exception)
            {
                throw PlatformException.Conflict($"version {version.Version} of model '{Name}' could not be loaded with these ONNX session settings on every silo: {exception.Message}");
            }
        }

        state.State.OnnxSession = settings;
        await CommitAsync();
        return Snapshot();
    }

    public async Task<ModelInfo> SetShadowAsync(int? version, double percent)
    {
        RequireModel();
        if (version is not { } number)
        {
            if (state.State.Shadow is null)
            {
                throw PlatformException.NotFound($"model '{Name}' has no shadow.");
            }

            state.State.Shadow = null;
            await CommitAsync();
            return Snapshot();
        }

        if (double.IsNaN(percent) || percent is < 0 or > 100)
        {
            throw PlatformException.Invalid($"shadow percent must be 0 to 100 (got {percent}).");
        }

        RequireAvailable(number);
        var primary = PrimaryVersions(Snapshot());
        if (primary.Contains(number))
        {
            throw PlatformException.Invalid($"version {number} of model '{Name}' already answers unaddressed requests; a shadow must be another version.");
        }

        await WarmOrFailAsync(number);
        state.State.Shadow = new ShadowSettings(number, percent, DateTimeOffset.UtcNow);
        await CommitAsync();
        return Snapshot();
    }

    public async Task<ModelInfo> DeleteVersionAsync(int version)
    {
        RequireModel();
        var existing = state.State.Versions.FirstOrDefault(v => v.Version == version)
            ?? throw PlatformException.NotFound($"version {version} of model '{Name}' not found.");
        if (state.State.Rollout is { IsRunning: true } rollout && rollout.Spec.Candidate == version)
        {
            RequireNoRollout($"version {version}");
        }

        var labels = state.State.Labels.Where(l => l.Value == version).Select(l => l.Key).ToList();
        if (labels.Count > 0)
        {
            throw PlatformException.Conflict($"version {version} of model '{Name}' is labelled {string.Join(", ", labels)}; move the label(s) first.");
        }

        if (state.State.Shadow?.Version == version)
        {
            throw PlatformException.Conflict($"version {version} of model '{Name}' is its shadow; stop the shadow first (DELETE /api/models/{Name}/shadow).");
        }

        await RemoveVersionAsync(existing);
        await CommitAsync();
        return Snapshot();
    }

    public async Task ReportLoadFailureAsync(int version, string reason)
    {
        var index = state.State.Versions.FindIndex(v => v.Version == version);
        if (index < 0 || state.State.Versions[index].State == VersionState.Failed)
        {
            return;
        }

        state.State.Versions[index] = state.State.Versions[index] with { State = VersionState.Failed, FailureReason = reason };
        await CommitAsync();
    }

    public async Task<RolloutInfo> StartRolloutAsync(RolloutSpec spec)
    {
        RequireModel();
        RequireNoRollout("a second rollout");
        var baseline = RolloutPlan.Check(Snapshot(), spec);
        await WarmOrFailAsync(spec.Candidate);
        await Rollouts.StartAsync(spec, baseline);
        return state.State.Rollout!;
    }

    public Task<RolloutInfo?> GetRolloutAsync() => Task.FromResult(state.State.Rollout);

    public async Task<RolloutInfo> AbortRolloutAsync()
    {
        RequireModel();
        if (state.State.Rollout is not { IsRunning: true } rollout)
        {
            throw PlatformException.Conflict($"model '{Name}' has no running rollout to abort.");
        }

        await Rollouts.AbortAsync(rollout);
        return state.State.Rollout!;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Rollouts.OnReminderAsync();

    /// <summary>Stores the rollout's new state; a promotion also points the baseline label at the candidate.</summary>
    private async Task ApplyRolloutAsync(RolloutInfo rollout, bool commit)
    {
        if (rollout.State == RolloutState.Succeeded)
        {
            state.State.Labels[rollout.Spec.Baseline] = rollout.Spec.Candidate;
        }

        state.State.Rollout = rollout;
        if (commit)
        {
            await CommitAsync();
        }
    }

    private void RequireNoRollout(string change)
    {
        if (state.State.Rollout is { IsRunning: true } rollout)
        {
            throw PlatformException.Conflict(
                $"model '{Name}' has a rollout of version {rollout.Spec.Candidate} against label '{rollout.Spec.Baseline}' running " +
                $"(step {rollout.Step + 1}, {rollout.Percent} %); {change} cannot change until it ends or is aborted (DELETE /api/models/{Name}/rollouts).");
        }
    }

    private async Task WarmOrFailAsync(int version)
    {
        try
        {
            await cluster.WarmAsync(Snapshot(), version);
        }
        catch (PlatformException exception)
        {
            await ReportLoadFailureAsync(version, exception.Message);
            throw PlatformException.Conflict($"version {version} of model '{Name}' could not be loaded on every silo: {exception.Message}");
        }
    }

    private async Task ApplyVersionPolicyAsync()
    {
        if (state.State.KeepLatest <= 0)
        {
            return;
        }

        var labelled = state.State.Labels.Values.ToHashSet();
        if (state.State.Shadow is { } shadow)
        {
            labelled.Add(shadow.Version);
        }

        if (state.State.Rollout is { IsRunning: true } rollout)
        {
            labelled.Add(rollout.Spec.Candidate);
        }

        var stale = state.State.Versions.OrderByDescending(v => v.Version).Skip(state.State.KeepLatest)
            .Where(v => !labelled.Contains(v.Version)).ToList();
        foreach (var version in stale)
        {
            await RemoveVersionAsync(version);
        }
    }

    private async Task RemoveVersionAsync(ModelVersionInfo version)
    {
        var index = state.State.Versions.IndexOf(version);
        state.State.Versions[index] = version with { State = VersionState.Unloading };
        await CommitAsync();
        state.State.Versions.RemoveAt(index);
        if (version.ArtifactKey.Length > 0)
        {
            // A FAILED version a repository recorded never had an artifact.
            await artifacts.DeleteAsync(version.ArtifactKey);
        }
    }

    private async Task CommitAsync()
    {
        state.State.Revision++;
        await state.WriteStateAsync();
        await history.RecordAsync(Snapshot());
        await cluster.PublishAsync(Name, Snapshot());
    }

    private ModelInfo Snapshot() => new()
    {
        Name = Name,
        Versions = state.State.Versions.ToArray(),
        Labels = new Dictionary<string, int>(state.State.Labels),
        TrafficSplit = new Dictionary<string, int>(state.State.TrafficSplit),
        KeepLatest = state.State.KeepLatest,
        Batching = state.State.Batching,
        OnnxSession = state.State.OnnxSession,
        Revision = state.State.Revision,
        Shadow = state.State.Shadow,
        Rollout = state.State.Rollout,
    };

    /// <summary>The versions a request naming neither version nor label can reach.</summary>
    private static HashSet<int> PrimaryVersions(ModelInfo model) => model.TrafficSplit.Count > 0
        ? model.TrafficSplit.Keys.Select(label => model.Labels[label]).ToHashSet()
        : model.DefaultVersion is { } fallback ? [fallback] : [];

    private static ModelVersionInfo Placeholder(int number, NewModelVersion request) => new()
    {
        Version = number,
        State = VersionState.Loading,
        Format = request.Format ?? ModelFormat.TorchScript,
        Signature = request.Signature ?? new ModelSignature([new TensorSpec("input", TensorDataType.FP32, [-1])], []),
        Sha256 = "",
        SizeBytes = 0,
        CreatedAt = DateTimeOffset.UtcNow,
        Source = request.Source,
        ArtifactKey = "",
    };

    private void RequireModel()
    {
        if (!Exists)
        {
            throw PlatformException.NotFound($"model '{Name}' not found.");
        }
    }

    private ModelVersionInfo RequireAvailable(int version)
    {
        var found = state.State.Versions.FirstOrDefault(v => v.Version == version)
            ?? throw PlatformException.NotFound($"version {version} of model '{Name}' not found.");
        return found.State == VersionState.Available
            ? found
            : throw PlatformException.Conflict($"version {version} of model '{Name}' is {found.State.ToString().ToUpperInvariant()}; only AVAILABLE versions can be routed to.");
    }

    private static void ValidateLabel(string label)
    {
        if (!ResourceNames.IsValid(label) || label.Length > 32)
        {
            throw PlatformException.Invalid($"label '{label}' is invalid: use 1-32 letters, digits, '.', '_' or '-'.");
        }
    }
}
