using OrleansML.Errors;

namespace OrleansML.Serving;

/// <summary>
/// Picks the version that answers a request: an explicit version, a label, or the model's default route (a running
/// rollout's share to its candidate and the rest to its baseline label, else the traffic split, else the default version).
/// </summary>
public static class RouteSelector
{
    public static ModelVersionInfo Select(ModelInfo model, int? version, string? label)
    {
        if (version is { } requested)
        {
            return Available(model, requested, $"version {requested}");
        }

        if (label is not null)
        {
            return model.Labels.TryGetValue(label, out var labelled)
                ? Available(model, labelled, $"label '{label}' (version {labelled})")
                : throw PlatformException.NotFound($"label '{label}' not found on model '{model.Name}'.");
        }

        if (model.Rollout is { IsRunning: true } rollout && model.Labels.TryGetValue(rollout.Spec.Baseline, out var baseline))
        {
            var target = Random.Shared.Next(100) < rollout.Percent ? rollout.Spec.Candidate : baseline;
            return Available(model, target, $"version {target}");
        }

        if (model.TrafficSplit.Count > 0)
        {
            var roll = Random.Shared.Next(model.TrafficSplit.Values.Sum());
            foreach (var (splitLabel, weight) in model.TrafficSplit)
            {
                if ((roll -= weight) < 0)
                {
                    return Select(model, null, splitLabel);
                }
            }
        }

        return model.DefaultVersion is { } fallback
            ? Available(model, fallback, $"version {fallback}")
            : throw PlatformException.NotFound($"model '{model.Name}' has no available version.");
    }

    /// <summary>Versions that unaddressed or labelled requests may reach; replicas of other versions are released.</summary>
    public static HashSet<int> ServingVersions(ModelInfo model)
    {
        var serving = model.Labels.Values.ToHashSet();
        if (model.DefaultVersion is { } fallback)
        {
            serving.Add(fallback);
        }

        if (model.Shadow is { } shadow)
        {
            serving.Add(shadow.Version);
        }

        if (model.Rollout is { IsRunning: true } rollout)
        {
            serving.Add(rollout.Spec.Candidate);
        }

        return serving;
    }

    private static ModelVersionInfo Available(ModelInfo model, int number, string what)
    {
        var version = model.Versions.FirstOrDefault(v => v.Version == number)
            ?? throw PlatformException.NotFound($"{what} of model '{model.Name}' not found.");
        return version.State == VersionState.Available
            ? version
            : throw PlatformException.Conflict($"{what} of model '{model.Name}' is {version.State.ToString().ToUpperInvariant()}{(version.FailureReason is null ? "" : $": {version.FailureReason}")}.");
    }
}
