using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Scoring;

/// <summary>A three-silo cluster of its own, with a short partition timeout, for the test that kills a silo mid-job.</summary>
public sealed class ScoringFaultClusterFixture : ClusterFixture
{
    public static readonly TimeSpan PartitionTimeout = TimeSpan.FromSeconds(3);

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("OrleansML:Scoring:PartitionTimeout", PartitionTimeout.ToString()),
    ];
}
