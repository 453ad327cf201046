namespace OrleansML.Jobs;

/// <summary>Where a coordinator's job stands in this activation (<see cref="JobMachine"/>).</summary>
public enum JobPhase
{
    /// <summary>Stored, nothing done yet.</summary>
    Pending,

    /// <summary>Getting ready to run: initial weights, statistics, a start time.</summary>
    Preparing,

    /// <summary>Doing its work: rounds of training, units of scoring.</summary>
    Running,

    /// <summary>The work was interrupted (a worker or its silo failed): waiting to resume from what is stored.</summary>
    Recovering,

    /// <summary>The work is done: its result is being made visible (a model version, an output dataset).</summary>
    Publishing,

    Succeeded,

    Failed,

    Cancelled,

    /// <summary>
    /// Another activation of the job stored its state since this one read it: this one stops its timer and its
    /// workers and leaves the job, its scratch files and its reminder to the other one. Final for this activation only.
    /// </summary>
    SteppedAside,
}

/// <summary>What happened to a job, as its coordinator tells <see cref="JobMachine"/>.</summary>
public enum JobOutcome
{
    /// <summary>The coordinator began to prepare the job.</summary>
    Began,

    /// <summary>The job is ready to run.</summary>
    Prepared,

    /// <summary>A worker, a silo or a call the job needs failed in a way that resuming may cure.</summary>
    Interrupted,

    /// <summary>The back-off after an interruption passed: the job runs again from what is stored.</summary>
    Resumed,

    /// <summary>All the work is done.</summary>
    WorkDone,

    /// <summary>The result is visible.</summary>
    Published,

    /// <summary>The job cannot go on (bad input found late, too many recoveries, an unexpected error).</summary>
    Faulted,

    /// <summary>Someone cancelled the job.</summary>
    CancelRequested,

    /// <summary>A write of the job's state was refused because another activation stored it since.</summary>
    Superseded,
}
