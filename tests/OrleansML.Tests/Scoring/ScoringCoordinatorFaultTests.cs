using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OrleansML.Api.Datasets;
using OrleansML.Datasets;
using OrleansML.Scoring;
using OrleansML.Serving;
using OrleansML.Storage;
using OrleansML.Tests.Infrastructure;
using OrleansML.Tests.Training;

namespace OrleansML.Tests.Scoring;

/// <summary>A scoring job whose coordinator's silo dies resumes by its reminder on a surviving silo, with no outside call.</summary>
public sealed class ScoringCoordinatorFaultTests(CoordinatorFaultClusterFixture fixture) : IClassFixture<CoordinatorFaultClusterFixture>
{
    [Fact]
    public async Task Killing_the_scoring_coordinators_silo_mid_job_resumes_it_by_its_reminder_and_every_row_is_scored_once()
    {
        const int rows = 60_000;
        var artifacts = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IArtifactStore>();
        await ScoringTestKit.ImportWithModelAsync(fixture.Client, artifacts, "resume-input", "resume-model", rows, seed: 5);

        var job = await CoordinatorOffTheFirstSiloAsync();
        await job.StartAsync(new ScoringJobSpec { Model = "resume-model", Dataset = "resume-input", OutputDataset = "resume-output", Partitions = 12 });
        var running = await ScoringTestKit.WaitAsync(job, TimeSpan.FromSeconds(60), s => s.State == ScoringState.Running && s.PartitionsDone > 0);
        Assert.True(running.State == ScoringState.Running && running.PartitionsDone < running.PartitionsTotal,
            $"{running.State} at {running.PartitionsDone}/{running.PartitionsTotal} when the coordinator was to be killed");
        var victim = fixture.Cluster.Silos.Single(s => s.SiloAddress.ToParsableString() == running.CoordinatorSilo);
        await fixture.Cluster.KillSiloAsync(victim);

        // From here on nothing calls the job until its output exists: only its reminder can bring it back.
        var output = await OutputAsync("resume-output", TimeSpan.FromSeconds(180));

        var status = (await job.GetAsync())!;
        Assert.True(status.State == ScoringState.Succeeded, status.FailureReason);
        Assert.NotEqual(victim.SiloAddress.ToParsableString(), status.CoordinatorSilo);
        Assert.Equal(rows, status.RowsScored);
        using var csv = new MemoryStream();
        await DatasetCsv.WriteAsync(output, artifacts, csv, CancellationToken.None);
        ScoringTestKit.ParseOutput(Encoding.UTF8.GetString(csv.ToArray()), rows);
    }

    /// <summary>Waits for the job's output dataset to be registered, which the job does as it succeeds.</summary>
    private async Task<DatasetInfo> OutputAsync(string name, TimeSpan deadline)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await fixture.Client.GetGrain<IDatasetGrain>(name).GetAsync() is { } dataset)
                {
                    return dataset;
                }
            }
            catch (Exception exception) when (exception is SiloUnavailableException or TimeoutException or OrleansMessageRejectionException)
            {
                // The dataset grain may have lived on the dead silo; the next call activates it elsewhere.
            }

            Assert.True(clock.Elapsed < deadline, $"no output dataset '{name}' after {deadline}: the job did not resume by itself");
            await Task.Delay(200);
        }
    }

    /// <summary>A job whose coordinator activates off the first silo (the test cluster keeps that one), polled with a deadline.</summary>
    private async Task<IScoringJobGrain> CoordinatorOffTheFirstSiloAsync()
    {
        var management = fixture.Client.GetGrain<IManagementGrain>(0);
        var first = fixture.Cluster.Silos[0].SiloAddress;
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            var job = fixture.Client.GetGrain<IScoringJobGrain>(Guid.NewGuid().ToString("N"));
            Assert.Null(await job.GetAsync());
            if (!first.Equals(await management.GetActivationAddress(job)))
            {
                return job;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        throw new InvalidOperationException("every scoring coordinator activated on the first silo for 60 s.");
    }
}
