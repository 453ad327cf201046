namespace OrleansML.Serving;

/// <summary>Per-silo replica settings (section <c>OrleansML:Serving</c>).</summary>
public sealed class ServingOptions
{
    public const string SectionName = "OrleansML:Serving";

    /// <summary>Native memory the silo's loaded models may take; past it the least recently used are unloaded.</summary>
    public long MemoryBudgetMB { get; set; } = 4096;

    /// <summary>A loaded version unused this long is unloaded (it loads again on the next request).</summary>
    public TimeSpan IdleUnloadAfter { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Intra-op threads of each ONNX Runtime session; 0 (the default) gives a session the silo's cores divided by
    /// the replicas it holds when the session opens (at least 1).
    /// </summary>
    public int OnnxIntraOpThreads { get; set; }

    /// <summary>How often idle versions are looked for.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a model grain looks at its running rollout's figures.</summary>
    public TimeSpan RolloutTickInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Period of the reminder that activates a model grain with a running rollout again after its silo died (at
    /// least Orleans' <c>ReminderOptions.MinimumReminderPeriod</c>, one minute by default).
    /// </summary>
    public TimeSpan RolloutReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);
}
