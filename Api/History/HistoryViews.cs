using OrleansML.History;
using OrleansML.Serving;

namespace OrleansML.Api.History;

/// <summary>A page of <c>GET /api/models/{name}/history</c>; <see cref="Next"/> is the next page's address, or null on the last one.</summary>
public sealed record ModelHistoryView(string Model, IReadOnlyList<ModelChangeView> Entries, int Page, int PageSize, long Total, string? Next)
{
    public static ModelHistoryView From(string model, ModelHistoryPage page, HttpRequest request)
    {
        var more = (long)page.Page * page.PageSize < page.Total;
        var query = QueryString.Create(request.Query.Where(p => p.Key != "page").Append(new("page", (page.Page + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))));
        return new ModelHistoryView(model, [.. page.Entries.Select(ModelChangeView.From)], page.Page, page.PageSize, page.Total,
            more ? $"{request.PathBase}{request.Path}{query}" : null);
    }
}

/// <summary>
/// One change: when, who, what in words, and the routing-relevant state before and after it. The full model as of
/// any instant is <c>GET /api/models/{name}?at=</c>.
/// </summary>
public sealed record ModelChangeView(long Sequence, DateTimeOffset At, string Actor, IReadOnlyList<string> Changes, ModelStateView? Before, ModelStateView After)
{
    public static ModelChangeView From(ModelChange change) =>
        new(change.Sequence, change.At, change.Actor, change.Changes, change.Before is { } before ? ModelStateView.From(before) : null, ModelStateView.From(change.After));
}

/// <summary>A model's state in a history entry: its versions' states, labels, traffic split, version policy, batching, shadow and ONNX sessions.</summary>
public sealed record ModelStateView(
    long Revision,
    IReadOnlyList<VersionStateView> Versions,
    IReadOnlyDictionary<string, int> Labels,
    IReadOnlyDictionary<string, int> TrafficSplit,
    int KeepLatest,
    BatchingSettings Batching,
    int? DefaultVersion,
    ShadowSettings? Shadow,
    OnnxSessionSettings OnnxSession)
{
    public static ModelStateView From(ModelInfo model) => new(
        model.Revision, [.. model.Versions.Select(v => new VersionStateView(v.Version, v.State, v.FailureReason))], model.Labels,
        model.TrafficSplit, model.KeepLatest, model.Batching, model.DefaultVersion, model.Shadow, model.OnnxSession);
}

public sealed record VersionStateView(int Version, VersionState State, string? FailureReason);
