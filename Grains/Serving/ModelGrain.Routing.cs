using OrleansML.Errors;

namespace OrleansML.Serving;

/// <summary>The model's routing: labels, traffic split, version policy, batching, ONNX session settings and shadow traffic.</summary>
public sealed partial class ModelGrain
{
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

    /// <summary>The versions a request naming neither version nor label can reach.</summary>
    private static HashSet<int> PrimaryVersions(ModelInfo model) => model.TrafficSplit.Count > 0
        ? model.TrafficSplit.Keys.Select(label => model.Labels[label]).ToHashSet()
        : model.DefaultVersion is { } fallback ? [fallback] : [];

    private static void ValidateLabel(string label)
    {
        if (!ResourceNames.IsValid(label) || label.Length > 32)
        {
            throw PlatformException.Invalid($"label '{label}' is invalid: use 1-32 letters, digits, '.', '_' or '-'.");
        }
    }
}
