namespace OrleansML.Training;

/// <summary>Training settings of a silo (<c>OrleansML:Training</c>).</summary>
public sealed class TrainingOptions
{
    public const string SectionName = "OrleansML:Training";

    /// <summary>The longest a round waits for its workers before the group is re-formed from live silos.</summary>
    public TimeSpan WorkerTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Checkpoint weights and optimizer state every this many rounds.</summary>
    public int CheckpointEveryRounds { get; set; } = 50;

    /// <summary>The most floats in one all-reduce message: 1M floats is 4 MB, far below Orleans' 100 MB limit.</summary>
    public int ChunkFloats { get; set; } = 1 << 20;

    /// <summary>
    /// How long one timer tick runs rounds before it stores the last checkpoint and yields the grain to calls that
    /// do not interleave (status and cancel calls interleave and need no tick to end). Each tick costs a state write
    /// and a timer restart, a few milliseconds.
    /// </summary>
    public TimeSpan TickBudget { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Period of the reminder that re-activates a running job elsewhere when its coordinator's silo dies (at least
    /// Orleans' <c>ReminderOptions.MinimumReminderPeriod</c>, one minute by default).
    /// </summary>
    public TimeSpan ResumeReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How many training jobs may be pending or running at once in the cluster (0: no limit). A job over the limit
    /// is refused at start; a running job keeps its place until it succeeds, fails or is cancelled.
    /// </summary>
    public int MaxConcurrentJobs { get; set; } = 4;

    /// <summary>How many times a job re-forms its group before it fails.</summary>
    public int MaxRecoveries { get; set; } = 20;
}
