namespace OrleansML.Serving.Rollouts;

/// <summary>
/// A progressive rollout: the share of unaddressed requests that goes to <see cref="Candidate"/> climbs through
/// <see cref="Steps"/> (percent), each held for <see cref="StepDuration"/> and judged against the version the
/// <see cref="Baseline"/> label points at; at the end the label points at the candidate.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Serving.Rollouts.RolloutSpec")]
public sealed record RolloutSpec
{
    public static readonly int[] DefaultSteps = [5, 25, 50, 100];

    [Id(0)] public required int Candidate { get; init; }

    [Id(1)] public string Baseline { get; init; } = "stable";

    [Id(2)] public int[] Steps { get; init; } = DefaultSteps;

    [Id(3)] public TimeSpan StepDuration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The candidate's failed share of its requests in a step above which it is rolled back (0..1).</summary>
    [Id(4)] public double MaxErrorRate { get; init; } = 0.05;

    /// <summary>Candidate p99 latency divided by the baseline's in a step above which it is rolled back (1..100).</summary>
    [Id(5)] public double MaxP99Ratio { get; init; } = 2;

    /// <summary>Requests each side needs in a step before the step is judged (in a 100 % step, the candidate only).</summary>
    [Id(6)] public int MinRequests { get; init; } = 20;
}
