using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.TestingHost;
using OrleansML.Hosting;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Training;

/// <summary>
/// Three silos in cluster mode on a real redis-server (job state, checkpoints and reminders survive a silo), with a
/// short worker timeout and short resume (and rollout) reminders, for the tests that kill a training or scoring coordinator's silo or a
/// model grain's silo mid-rollout.
/// </summary>
public sealed class CoordinatorFaultClusterFixture : IAsyncLifetime
{
    public static readonly TimeSpan ResumeReminderPeriod = TimeSpan.FromSeconds(5);

    private readonly RedisServer _redis = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync()
    {
        await _redis.InitializeAsync();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["OrleansML:Mode"] = "Cluster",
                ["OrleansML:Redis"] = _redis.ConnectionString,
                ["OrleansML:Device"] = "cpu",
                ["OrleansML:Training:WorkerTimeout"] = FaultClusterFixture.WorkerTimeout.ToString(),
                ["OrleansML:Training:CheckpointEveryRounds"] = "10",
                ["OrleansML:Training:TickBudget"] = FaultClusterFixture.TickBudget.ToString(),
                ["OrleansML:Training:ResumeReminderPeriod"] = ResumeReminderPeriod.ToString(),
                ["OrleansML:Scoring:ResumeReminderPeriod"] = ResumeReminderPeriod.ToString(),
                ["OrleansML:Serving:RolloutReminderPeriod"] = ResumeReminderPeriod.ToString(),
                ["OrleansML:Scoring:PartitionTimeout"] = TimeSpan.FromSeconds(3).ToString(),
            })
            .Build();
        var builder = new InProcessTestClusterBuilder(3);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddOrleansMLRuntime(configuration);
            silo.Services.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = ResumeReminderPeriod);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        await Cluster.WaitForLivenessToStabilizeAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await _redis.DisposeAsync();
    }
}
