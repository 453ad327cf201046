using Microsoft.Extensions.DependencyInjection;
using OrleansML.Serving;
using OrleansML.Storage;
using OrleansML.Tests.Infrastructure;
using OrleansML.Training;

namespace OrleansML.Tests.Training;

public sealed class CoordinatorFaultTests(CoordinatorFaultClusterFixture fixture) : IClassFixture<CoordinatorFaultClusterFixture>
{
    [Fact]
    public async Task Killing_the_coordinators_silo_mid_training_resumes_the_job_by_its_reminder_and_it_still_reaches_95_percent()
    {
        var artifacts = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IArtifactStore>();
        await TrainingTestKit.UploadAsync(artifacts, fixture.Client, "optdigits-coordinator", File.OpenRead(Fixtures.OptDigitsTrain));
        var (id, job) = await CoordinatorOffTheFirstSiloAsync();
        await job.StartAsync(TrainingTestKit.OptDigitsJob("digits-coordinator", "optdigits-coordinator") with { Epochs = 16 });

        var running = await TrainingTestKit.WaitAsync(job, TimeSpan.FromSeconds(60), s => s.Round >= 15 && s.LastCheckpointRound >= 10);
        Assert.True(running.State == TrainingState.Running, $"{running.State}: {running.FailureReason}");
        var victim = fixture.Cluster.Silos.Single(s => s.SiloAddress.ToParsableString() == running.CoordinatorSilo);
        await fixture.Cluster.KillSiloAsync(victim);

        // From here on nothing calls the job until its version appears: only its reminder can bring it back.
        var version = await WaitForVersionFromAsync(id, TimeSpan.FromSeconds(180));

        // The version is registered a moment before the job records its success.
        var status = await TrainingTestKit.WaitAsync(job, TimeSpan.FromSeconds(30));
        Assert.True(status.State == TrainingState.Succeeded,
            $"{status.State} at round {status.Round}/{status.TotalRounds} on {status.CoordinatorSilo} (killed {victim.SiloAddress.ToParsableString()} at round {running.Round}): {status.FailureReason}; {string.Join(" | ", status.Recoveries)}");
        Assert.Equal(version, status.ResultVersion);
        Assert.NotEqual(victim.SiloAddress.ToParsableString(), status.CoordinatorSilo);
        Assert.Contains(status.Recoveries, r => r.Contains("the coordinator was activated again"));
        Assert.DoesNotContain(status.Workers, w => w.Silo == victim.SiloAddress.ToParsableString());
        var accuracy = await TrainingTestKit.OptDigitsAccuracyAsync(fixture.Client, "digits-coordinator", version);
        Assert.True(accuracy >= 0.95, $"test accuracy {accuracy:P2}");
    }

    /// <summary>
    /// A job id whose coordinator activates on a silo other than the first, which the test cluster needs to keep.
    /// Polled with a deadline: right after the cluster starts, placement may not yet know that the other silos host
    /// the grain type (the cluster manifest spreads asynchronously), and every activation lands on the first silo.
    /// </summary>
    private async Task<(string Id, ITrainingJobGrain Job)> CoordinatorOffTheFirstSiloAsync()
    {
        var management = fixture.Client.GetGrain<IManagementGrain>(0);
        var first = fixture.Cluster.Silos[0].SiloAddress;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!deadline.IsCancellationRequested)
        {
            var id = Guid.NewGuid().ToString("N");
            var job = fixture.Client.GetGrain<ITrainingJobGrain>(id);
            Assert.Null(await job.GetAsync());
            if (!first.Equals(await management.GetActivationAddress(job)))
            {
                return (id, job);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None);
        }

        throw new InvalidOperationException("every coordinator activated on the first silo for 60 s.");
    }

    private async Task<int> WaitForVersionFromAsync(string jobId, TimeSpan deadline)
    {
        var model = fixture.Client.GetGrain<IModelGrain>("digits-coordinator");
        using var timeout = new CancellationTokenSource(deadline);
        while (true)
        {
            try
            {
                if ((await model.GetAsync())?.Versions.FirstOrDefault(v => v.Source == $"training:{jobId}") is { } version)
                {
                    return version.Version;
                }
            }
            catch (Exception exception) when (exception is SiloUnavailableException or TimeoutException or OrleansMessageRejectionException)
            {
                // The model grain may have lived on the dead silo; the next call activates it elsewhere.
            }

            try
            {
                await Task.Delay(200, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no version from job {jobId} after {deadline}");
            }
        }
    }
}
