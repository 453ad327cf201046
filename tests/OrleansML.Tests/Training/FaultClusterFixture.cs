using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Training;

/// <summary>A three-silo cluster of its own, with a short worker timeout, for tests that kill silos.</summary>
public sealed class FaultClusterFixture : ClusterFixture
{
    public static readonly TimeSpan WorkerTimeout = TimeSpan.FromSeconds(2);

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("OrleansML:Training:WorkerTimeout", WorkerTimeout.ToString()),
        new("OrleansML:Training:CheckpointEveryRounds", "10"),
        // A checkpoint is stored at each tick's end: short ticks let a test kill a silo early in a job that has one.
        new("OrleansML:Training:TickBudget", TickBudget.ToString()),
    ];

    public static readonly TimeSpan TickBudget = TimeSpan.FromMilliseconds(250);
}
