using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OrleansML.Api.Datasets;
using OrleansML.Datasets;
using OrleansML.Scoring;
using OrleansML.Serving;
using OrleansML.Storage;
using OrleansML.Tests.Training;

namespace OrleansML.Tests.Scoring;

public sealed class ScoringFaultTests(ScoringFaultClusterFixture fixture) : IClassFixture<ScoringFaultClusterFixture>
{
    [Fact]
    public async Task Killing_a_worker_silo_mid_job_retries_its_partitions_elsewhere_and_the_output_has_every_row_exactly_once()
    {
        const int rows = 60_000;
        var artifacts = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IArtifactStore>();
        // Six units of ~156 storage partitions each: every silo gets two at once, and a unit takes long enough that the
        // kill lands while the victim's units are in flight (a finished unit is committed and never retried).
        await ScoringTestKit.ImportWithModelAsync(fixture.Client, artifacts, "fault-input", "fault-model", rows, seed: 3);

        var job = fixture.Client.GetGrain<IScoringJobGrain>(Guid.NewGuid().ToString("N"));
        await job.StartAsync(new ScoringJobSpec { Model = "fault-model", Dataset = "fault-input", OutputDataset = "fault-output", Partitions = 6 });
        var running = await ScoringTestKit.WaitAsync(job, TimeSpan.FromSeconds(60), s => s.State == ScoringState.Running);
        Assert.Equal(ScoringState.Running, running.State);
        var victim = fixture.Cluster.Silos.Skip(1).First(s => s.SiloAddress.ToParsableString() != running.CoordinatorSilo);
        // Kill only once the victim is working on a unit (its scoring worker is active), so there is work to retry.
        var management = fixture.Client.GetGrain<IManagementGrain>(0);
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (!(await management.GetSimpleGrainStatistics()).Any(g => g.SiloAddress.Equals(victim.SiloAddress)
            && g.GrainType.Contains("ScoringWorker", StringComparison.Ordinal) && g.ActivationCount > 0))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "the victim silo never received a unit");
            await Task.Delay(10);
        }

        await fixture.Cluster.KillSiloAsync(victim);

        var status = await ScoringTestKit.WaitAsync(job, TimeSpan.FromSeconds(120));

        Assert.True(status.State == ScoringState.Succeeded, status.FailureReason);
        Assert.True(status.Retries.Count > 0, $"no retries; killed at {running.PartitionsDone}/{running.PartitionsTotal}, by silo {string.Join(", ", status.PartitionsBySilo)}, victim {victim.SiloAddress.ToParsableString()}, coordinator {status.CoordinatorSilo}");
        Assert.Contains(status.Retries, r => r.Contains(victim.SiloAddress.ToParsableString(), StringComparison.Ordinal));
        Assert.Equal(rows, status.RowsScored);
        Assert.Equal(2, status.PartitionsBySilo.Keys.Count(s => s != victim.SiloAddress.ToParsableString()));
        Assert.Equal(status.PartitionsTotal, status.PartitionsDone);
        var output = (await fixture.Client.GetGrain<IDatasetGrain>("fault-output").GetAsync())!;
        using var csv = new MemoryStream();
        await DatasetCsv.WriteAsync(output, artifacts, csv, CancellationToken.None);
        var (header, byId) = ScoringTestKit.ParseOutput(Encoding.UTF8.GetString(csv.ToArray()), rows);
        Assert.Equal(["id", "p0", "p1", "p2", "class"], header);
        Assert.All(byId.Values, r => Assert.Equal(1.0, r[1] + r[2] + r[3], 4));
    }
}
