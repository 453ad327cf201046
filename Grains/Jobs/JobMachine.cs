namespace OrleansML.Jobs;

/// <summary>
/// A coordinator's job as a small state machine, free of the cluster: Pending → Preparing → Running ⇄ Recovering →
/// Publishing → Succeeded (a job interrupted while preparing begins again from Recovering), with Failed and Cancelled reachable from every phase that is not final, and SteppedAside
/// from every phase (a stale activation leaves the job to the one that stored it, even after it thought it had
/// ended it: its final write is the one refused). An outcome a phase does not expect is a bug in the coordinator,
/// and throws.
/// </summary>
public sealed class JobMachine(JobPhase phase)
{
    public JobPhase Phase { get; private set; } = phase;

    /// <summary>Succeeded, Failed or Cancelled: the job's outcome, stored.</summary>
    public bool IsFinished => Phase is JobPhase.Succeeded or JobPhase.Failed or JobPhase.Cancelled;

    /// <summary>Whether this activation still drives the job (its timer runs).</summary>
    public bool IsActive => !IsFinished && Phase != JobPhase.SteppedAside;

    /// <summary>Moves on <paramref name="outcome"/> and returns the new phase.</summary>
    public JobPhase Apply(JobOutcome outcome)
    {
        Phase = Next(Phase, outcome)
            ?? throw new InvalidOperationException($"a job that is {Phase} cannot take the outcome {outcome}.");
        return Phase;
    }

    /// <summary>Whether <paramref name="outcome"/> moves the job on from where it is.</summary>
    public bool Accepts(JobOutcome outcome) => Next(Phase, outcome) is not null;

    private static JobPhase? Next(JobPhase phase, JobOutcome outcome) => (phase, outcome) switch
    {
        (JobPhase.SteppedAside, _) => null,
        (_, JobOutcome.Superseded) => JobPhase.SteppedAside,
        (JobPhase.Succeeded or JobPhase.Failed or JobPhase.Cancelled, _) => null,
        (_, JobOutcome.Faulted) => JobPhase.Failed,
        (_, JobOutcome.CancelRequested) => JobPhase.Cancelled,
        (JobPhase.Pending or JobPhase.Recovering, JobOutcome.Began) => JobPhase.Preparing,
        (JobPhase.Preparing, JobOutcome.Prepared) => JobPhase.Running,
        (JobPhase.Preparing or JobPhase.Running or JobPhase.Publishing or JobPhase.Recovering, JobOutcome.Interrupted) => JobPhase.Recovering,
        (JobPhase.Recovering, JobOutcome.Resumed) => JobPhase.Running,
        (JobPhase.Running, JobOutcome.WorkDone) => JobPhase.Publishing,
        (JobPhase.Publishing, JobOutcome.Published) => JobPhase.Succeeded,
        _ => null,
    };
}
