using Microsoft.Extensions.DependencyInjection;
using OrleansML.Storage;
using OrleansML.Tests.Infrastructure;
using OrleansML.Training;

namespace OrleansML.Tests.Training;

public sealed class TrainingFaultTests(FaultClusterFixture fixture) : IClassFixture<FaultClusterFixture>
{
    [Fact]
    public async Task Killing_a_worker_silo_mid_training_re_forms_the_group_and_the_job_still_reaches_95_percent()
    {
        var artifacts = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IArtifactStore>();
        await TrainingTestKit.UploadAsync(artifacts, fixture.Client, "optdigits-fault", File.OpenRead(Fixtures.OptDigitsTrain));
        var job = fixture.Client.GetGrain<ITrainingJobGrain>(Guid.NewGuid().ToString("N"));
        await job.StartAsync(TrainingTestKit.OptDigitsJob("digits-fault", "optdigits-fault") with { Epochs = 16 });

        var running = await TrainingTestKit.WaitAsync(job, TimeSpan.FromSeconds(60), s => s.Round >= 15 && s.LastCheckpointRound >= 10);
        Assert.Equal(TrainingState.Running, running.State);
        Assert.Equal(3, running.Workers.Count);
        var victim = fixture.Cluster.Silos.Skip(1).First(s => s.SiloAddress.ToParsableString() != running.CoordinatorSilo);
        await fixture.Cluster.KillSiloAsync(victim);

        var status = await TrainingTestKit.WaitAsync(job, TimeSpan.FromSeconds(120));

        Assert.True(status.State == TrainingState.Succeeded, status.FailureReason);
        Assert.NotEmpty(status.Recoveries);
        Assert.Contains(victim.SiloAddress.ToParsableString(), status.Recoveries[0]);
        Assert.Equal(2, status.Workers.Count);
        Assert.DoesNotContain(status.Workers, w => w.Silo == victim.SiloAddress.ToParsableString());
        var bound = FaultClusterFixture.WorkerTimeout.TotalMilliseconds + 1000;
        Assert.True(status.RoundDurationsMs.Max() <= bound, $"slowest round {status.RoundDurationsMs.Max():F0} ms; bound {bound} ms");
        var accuracy = await TrainingTestKit.OptDigitsAccuracyAsync(fixture.Client, "digits-fault", status.ResultVersion!.Value);
        Assert.True(accuracy >= 0.95, $"test accuracy {accuracy:P2}");
    }
}
