namespace OrleansML.Serving.Rollouts;

/// <summary>Where a rollout stands: running, or how it ended.</summary>
public enum RolloutState
{
    Running,
    Succeeded,
    RolledBack,
    Aborted,
}

/// <summary>What the rollout decided last.</summary>
public enum RolloutDecision
{
    /// <summary>The step's duration has not passed or a side has too few requests.</summary>
    Wait,
    Advance,
    Promote,
    RollBack,
    Abort,
}

/// <summary>The guard that rolled a candidate back.</summary>
public enum RolloutGuard
{
    ErrorRate,
    P99Ratio,
}

/// <summary>What each side served in a step, summed over every silo.</summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Serving.Rollouts.RolloutFigures")]
public sealed record RolloutFigures
{
    public static readonly RolloutFigures Zero = new();

    [Id(0)] public long BaselineRequests { get; init; }

    [Id(1)] public long BaselineErrors { get; init; }

    [Id(2)] public double BaselineP99Ms { get; init; }

    [Id(3)] public long CandidateRequests { get; init; }

    [Id(4)] public long CandidateErrors { get; init; }

    [Id(5)] public double CandidateP99Ms { get; init; }

    public double BaselineErrorRate => BaselineRequests == 0 ? 0 : (double)BaselineErrors / BaselineRequests;

    public double CandidateErrorRate => CandidateRequests == 0 ? 0 : (double)CandidateErrors / CandidateRequests;

    /// <summary>Candidate p99 over baseline p99; 0 while either side has no successful request.</summary>
    public double P99Ratio => BaselineP99Ms > 0 && CandidateP99Ms > 0 ? CandidateP99Ms / BaselineP99Ms : 0;
}

/// <summary>A step that ended: its share, when it ran, what it served and what was decided.</summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Serving.Rollouts.RolloutStepResult")]
public sealed record RolloutStepResult(
    [property: Id(0)] int Step,
    [property: Id(1)] int Percent,
    [property: Id(2)] DateTimeOffset StartedAt,
    [property: Id(3)] DateTimeOffset EndedAt,
    [property: Id(4)] RolloutFigures Figures,
    [property: Id(5)] RolloutDecision Decision);

/// <summary>
/// A model's current or last rollout: the spec, the baseline version it started from, the step (index into
/// <see cref="RolloutSpec.Steps"/>) and the candidate's share of unaddressed requests, the running step's figures,
/// the last decision with its reason, the guard that tripped (if any), and every finished step.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Serving.Rollouts.RolloutInfo")]
public sealed record RolloutInfo
{
    [Id(0)] public required RolloutSpec Spec { get; init; }

    [Id(1)] public required int BaselineVersion { get; init; }

    [Id(2)] public required RolloutState State { get; init; }

    [Id(3)] public required int Step { get; init; }

    /// <summary>The candidate's share (percent) of requests that name neither version nor label; 0 once it ended without promotion.</summary>
    [Id(4)] public required int Percent { get; init; }

    [Id(5)] public required DateTimeOffset StartedAt { get; init; }

    [Id(6)] public required DateTimeOffset StepStartedAt { get; init; }

    [Id(7)] public RolloutFigures Figures { get; init; } = RolloutFigures.Zero;

    [Id(8)] public RolloutDecision Decision { get; init; } = RolloutDecision.Wait;

    [Id(9)] public string Reason { get; init; } = "";

    [Id(10)] public RolloutGuard? Guard { get; init; }

    [Id(11)] public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Every finished step, in order (an array: the Redis grain storage, Json.NET, cannot build the compiler's read-only lists).</summary>
    [Id(12)] public RolloutStepResult[] Completed { get; init; } = [];

    public bool IsRunning => State == RolloutState.Running;
}
