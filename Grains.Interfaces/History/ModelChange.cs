using OrleansML.Serving;

namespace OrleansML.History;

/// <summary>
/// One entry of a model's history: a committed change, when it was made, who asked for it (see
/// <see cref="ChangeActor"/>), what changed in words, and the model before and after it. <see cref="After"/> is what
/// the model served from <see cref="At"/> until the next entry.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansML.History.ModelChange")]
public sealed record ModelChange
{
    /// <summary>0 for the model's first recorded change, then 1, 2...; newer entries have higher numbers.</summary>
    [Id(0)] public long Sequence { get; init; }

    /// <summary>When the change was committed (UTC); never earlier than the entry before it.</summary>
    [Id(1)] public required DateTimeOffset At { get; init; }

    [Id(2)] public required string Actor { get; init; }

    /// <summary>Short lines such as <c>label stable: 1 → 2</c> or <c>version 3 added</c>.</summary>
    [Id(3)] public required IReadOnlyList<string> Changes { get; init; }

    /// <summary>The model as last recorded before this change; null when the change created it.</summary>
    [Id(4)] public ModelInfo? Before { get; init; }

    [Id(5)] public required ModelInfo After { get; init; }
}

/// <summary>A page of a model's history, newest first, and how many entries it has in all.</summary>
[GenerateSerializer, Immutable, Alias("OrleansML.History.ModelHistoryPage")]
public sealed record ModelHistoryPage(
    [property: Id(0)] IReadOnlyList<ModelChange> Entries,
    [property: Id(1)] int Page,
    [property: Id(2)] int PageSize,
    [property: Id(3)] long Total)
{
    public const int MaxPageSize = 200;

    public const int DefaultPageSize = 50;
}
