namespace OrleansML.Jobs;

/// <summary>A page of an index, newest first, optionally only jobs in one state or of one model.</summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Jobs.JobQuery")]
public sealed record JobQuery
{
    public const int MaxPageSize = 100;

    [Id(0)] public JobState? State { get; init; }

    [Id(1)] public string? Model { get; init; }

    /// <summary>1-based.</summary>
    [Id(2)] public int Page { get; init; } = 1;

    [Id(3)] public int PageSize { get; init; } = 20;
}

/// <summary>The rows of one page and how many jobs matched in all.</summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Jobs.JobPage")]
public sealed record JobPage(
    [property: Id(0)] IReadOnlyList<JobRow> Rows,
    [property: Id(1)] int Page,
    [property: Id(2)] int PageSize,
    [property: Id(3)] int Total);
