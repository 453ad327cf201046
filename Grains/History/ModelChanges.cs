using System.Globalization;
using OrleansML.Serving;

namespace OrleansML.History;

/// <summary>
/// Says in short lines what changed between two snapshots of a model, for its history. Each part of the model has
/// its own describer in <see cref="Describers"/>: a new part of <see cref="ModelInfo"/> adds one there. A change no
/// describer recognises is still recorded, as <see cref="OtherChange"/>.
/// </summary>
public static class ModelChanges
{
    public const string Created = "model created";

    public const string OtherChange = "other change";

    private static readonly Func<ModelInfo, ModelInfo, IEnumerable<string>>[] Describers =
    [
        Versions,
        Labels,
        TrafficSplit,
        VersionPolicy,
        Batching,
        OnnxSession,
        Shadow,
    ];

    /// <summary>The lines for the change from <paramref name="before"/> (null: the model is new) to <paramref name="after"/>.</summary>
    public static IReadOnlyList<string> Describe(ModelInfo? before, ModelInfo after)
    {
        var empty = after with { Versions = [], Labels = new Dictionary<string, int>(), TrafficSplit = new Dictionary<string, int>() };
        var lines = before is null ? [Created] : new List<string>();
        lines.AddRange(Describers.SelectMany(describe => describe(before ?? empty, after)));
        return lines.Count == 0 ? [OtherChange] : lines;
    }

    /// <summary>
    /// True for the first half of a deletion: a version is UNLOADING, and the commit that removes it follows. The
    /// history records the two as one change (the version deleted).
    /// </summary>
    public static bool IsTransient(ModelInfo model) => model.Versions.Any(v => v.State == VersionState.Unloading);

    private static IEnumerable<string> Versions(ModelInfo before, ModelInfo after)
    {
        var old = before.Versions.ToDictionary(v => v.Version);
        var now = after.Versions.ToDictionary(v => v.Version);
        foreach (var version in after.Versions.Where(v => !old.ContainsKey(v.Version)))
        {
            yield return $"version {version.Version} added";
        }

        foreach (var version in after.Versions.Where(v => old.TryGetValue(v.Version, out var was) && was.State != v.State))
        {
            yield return version.State == VersionState.Failed
                ? $"version {version.Version} FAILED: {version.FailureReason}"
                : $"version {version.Version} {Upper(old[version.Version].State)} → {Upper(version.State)}";
        }

        foreach (var version in before.Versions.Where(v => !now.ContainsKey(v.Version)))
        {
            yield return $"version {version.Version} deleted";
        }
    }

    private static IEnumerable<string> Labels(ModelInfo before, ModelInfo after)
    {
        foreach (var (label, version) in after.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            if (!before.Labels.TryGetValue(label, out var was))
            {
                yield return $"label {label} → {version}";
            }
            else if (was != version)
            {
                yield return $"label {label}: {was} → {version}";
            }
        }

        foreach (var label in before.Labels.Keys.Where(l => !after.Labels.ContainsKey(l)).Order(StringComparer.Ordinal))
        {
            yield return $"label {label} removed";
        }
    }

    private static IEnumerable<string> TrafficSplit(ModelInfo before, ModelInfo after)
    {
        if (SameMap(before.TrafficSplit, after.TrafficSplit))
        {
            yield break;
        }

        yield return after.TrafficSplit.Count == 0
            ? "traffic split cleared"
            : "traffic split set: " + string.Join(", ", after.TrafficSplit.OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => $"{w.Key}={w.Value}"));
    }

    private static IEnumerable<string> VersionPolicy(ModelInfo before, ModelInfo after)
    {
        if (before.KeepLatest != after.KeepLatest)
        {
            yield return $"version policy keepLatest {before.KeepLatest} → {after.KeepLatest}";
        }
    }

    private static IEnumerable<string> Batching(ModelInfo before, ModelInfo after)
    {
        if (before.Batching != after.Batching)
        {
            var b = after.Batching;
            yield return string.Create(CultureInfo.InvariantCulture,
                $"batching {(b.Enabled ? "enabled" : "disabled")}: maxBatchSize {b.MaxBatchSize}, maxQueueDelayMs {b.MaxQueueDelayMs}");
        }
    }

    private static IEnumerable<string> OnnxSession(ModelInfo before, ModelInfo after)
    {
        if (before.OnnxSession != after.OnnxSession)
        {
            var o = after.OnnxSession;
            var intra = o.IntraOpThreads == 0 ? "automatic" : o.IntraOpThreads.ToString(CultureInfo.InvariantCulture);
            yield return string.Create(CultureInfo.InvariantCulture,
                $"onnx session: intraOpThreads {intra}, interOpThreads {o.InterOpThreads}, graphOptimization {o.GraphOptimization.ToString().ToLowerInvariant()}");
        }
    }

    private static IEnumerable<string> Shadow(ModelInfo before, ModelInfo after)
    {
        if (before.Shadow == after.Shadow)
        {
            yield break;
        }

        yield return after.Shadow is { } shadow
            ? string.Create(CultureInfo.InvariantCulture, $"shadow: version {shadow.Version} at {shadow.Percent} %")
            : "shadow stopped";
    }

    private static bool SameMap(IReadOnlyDictionary<string, int> a, IReadOnlyDictionary<string, int> b) =>
        a.Count == b.Count && a.All(entry => b.TryGetValue(entry.Key, out var value) && value == entry.Value);

    private static string Upper(VersionState state) => state.ToString().ToUpperInvariant();
}
