namespace OrleansML.Scoring;

/// <summary>Batch-scoring settings of a silo (<c>OrleansML:Scoring</c>).</summary>
public sealed class ScoringOptions
{
    public const string SectionName = "OrleansML:Scoring";

    /// <summary>The longest the coordinator waits for one work unit before it hands the unit to another silo.</summary>
    public TimeSpan PartitionTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Rows in one prediction request a worker sends to its silo's replicas (they coalesce concurrent requests).</summary>
    public int ChunkRows { get; set; } = 256;

    /// <summary>Work units in flight per worker silo, so one unit's reads and writes overlap another's scoring.</summary>
    public int UnitsPerSilo { get; set; } = 2;

    /// <summary>
    /// Period of the reminder that re-activates a running job elsewhere when its coordinator's silo dies, with no
    /// outside call (at least Orleans' <c>ReminderOptions.MinimumReminderPeriod</c>, one minute by default).
    /// </summary>
    public TimeSpan ResumeReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many times one work unit is tried before the job fails.</summary>
    public int MaxAttempts { get; set; } = 5;
}
