using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using OrleansML.Serving;
using OrleansML.Storage;
using OrleansML.Tests.Infrastructure;
using OrleansML.Training;

namespace OrleansML.Tests.Training;

/// <summary>
/// Recovery from a checkpoint resumes the exact training state: a job that lost a worker silo, or whose coordinator
/// was activated a second time, ends on the weights of an uninterrupted run and leaves no scratch behind.
/// </summary>
/// <remarks>
/// Run alone: the weights are compared exactly, and a training run in another test class drawing from torch's
/// process-wide generator at the same time changed them in one full-suite run (weight 0: 0.093 plain, -0.258 job).
/// </remarks>
[Collection(ExactWeightsCollection.Name)]
public sealed class CheckpointRecoveryTests(FaultClusterFixture fixture) : IClassFixture<FaultClusterFixture>
{
    private static readonly ArchitectureSpec Architecture = new("mlp", 6, [32], 3);
    private const int Batch = 30;

    [Fact]
    public async Task A_job_that_lost_a_worker_silo_resumes_from_its_checkpoint_to_the_weights_of_a_plain_loop_and_leaves_no_checkpoint_behind()
    {
        var run = await StartAsync("recovery", rounds: 3000, seed: 11, workers: 3);
        var running = await TrainingTestKit.WaitAsync(run.Job, TimeSpan.FromSeconds(60), s => s.LastCheckpointRound >= 20);
        Assert.True(running.State == TrainingState.Running && running.Round < run.Rounds, $"{running.State} at round {running.Round}");
        var victim = fixture.Cluster.Silos.Skip(1).First(s => s.SiloAddress.ToParsableString() != running.CoordinatorSilo);
        await fixture.Cluster.KillSiloAsync(victim);
        var status = await TrainingTestKit.WaitAsync(run.Job, TimeSpan.FromSeconds(120));

        Assert.NotEmpty(status.Recoveries);
        await AssertEndedOnThePlainLoopAsync(run, status);
    }

    [Fact]
    public async Task A_coordinator_whose_job_another_activation_stored_steps_aside_and_the_job_ends_on_the_plain_loop_weights()
    {
        var run = await StartAsync("takeover", rounds: 3000, seed: 12, workers: 2);
        await TrainingTestKit.WaitAsync(run.Job, TimeSpan.FromSeconds(60), s => s.LastCheckpointRound >= 20);

        // What a second activation does when a dying silo takes the job's directory entry with it: it stores the
        // job's state, so the running activation's next write is refused. That one must not end the job (which
        // deleted the initial weights the job restores from, and failed it) but step aside for the stored job.
        var storage = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.Platform);
        var stored = new GrainState<TrainingJobState>();
        await storage.ReadStateAsync("job", run.Job.GetGrainId(), stored);
        await storage.WriteStateAsync("job", run.Job.GetGrainId(), stored);
        Assert.True(stored.State!.State == TrainingState.Running, $"the job was {stored.State.State} when its state was written behind its back");
        var status = await TrainingTestKit.WaitAsync(run.Job, TimeSpan.FromSeconds(120));

        Assert.Contains(status.Recoveries, r => r.Contains("activated again", StringComparison.Ordinal));
        await AssertEndedOnThePlainLoopAsync(run, status);
    }

    [Fact]
    public async Task A_coordinator_that_finds_its_result_version_already_added_takes_it_instead_of_adding_a_second()
    {
        // What a coordinator resumed after its silo died between adding the version and storing the outcome finds.
        var model = fixture.Client.GetGrain<IModelGrain>("resumed-result");
        await model.CreateAsync(Architecture, seed: 1);
        var run = await StartAsync("resumed-result", rounds: 3000, seed: 13, workers: 2, createsModel: false);
        await TrainingTestKit.WaitAsync(run.Job, TimeSpan.FromSeconds(60), s => s.Round >= 20);
        var added = await model.AddVersionAsync((await NativeVersions.StageAsync(fixture, Architecture, seed: 2)) with { Source = $"training:{run.Id}" });
        var status = await TrainingTestKit.WaitAsync(run.Job, TimeSpan.FromSeconds(120));

        Assert.True(status.State == TrainingState.Succeeded, status.FailureReason);
        Assert.Equal(added.Version, status.ResultVersion);
        var versions = (await model.GetAsync())!.Versions;
        Assert.Equal([1, added.Version], versions.Select(v => v.Version));
    }

    private async Task<Run> StartAsync(string model, int rounds, int seed, int workers, bool createsModel = true)
    {
        var csv = TrainingTestKit.SyntheticCsv(600, seed: seed - 7);
        await TrainingTestKit.UploadAsync(Artifacts, fixture.Client, model, new MemoryStream(Encoding.UTF8.GetBytes(csv)));
        var id = Guid.NewGuid().ToString("N");
        var job = fixture.Client.GetGrain<ITrainingJobGrain>(id);
        await job.StartAsync(new TrainingJobSpec
        {
            Model = model, Dataset = model, Architecture = createsModel ? Architecture : null, Epochs = 1000, BatchSize = Batch,
            LearningRate = 0.1, Optimizer = "sgd", Seed = seed, Workers = workers, MaxRounds = rounds,
        });
        return new Run(id, job, model, csv, seed, rounds);
    }

    private async Task AssertEndedOnThePlainLoopAsync(Run run, TrainingJobStatus status)
    {
        Assert.True(status.State == TrainingState.Succeeded, status.FailureReason);
        Assert.Equal(run.Rounds, status.Round);
        var version = (await fixture.Client.GetGrain<IModelGrain>(run.Model).GetAsync())!.Versions.Single(v => v.Version == status.ResultVersion);
        var trained = await TrainingTestKit.WeightsAsync(Artifacts, version);
        var plain = TrainingTestKit.PlainSgdLoop(run.Csv, Architecture, run.Seed, Batch, run.Rounds);
        Assert.Equal(plain.Length, trained.Length);
        for (var i = 0; i < plain.Length; i++)
        {
            // Other worker counts sum the gradient in other orders than the plain loop: float rounding only.
            Assert.True(Math.Abs(plain[i] - trained[i]) < 1e-4, $"weight {i}: plain {plain[i]}, job {trained[i]}");
        }

        // The status says Succeeded as soon as the version exists; the coordinator stores the outcome and then
        // removes the job's scratch artifacts.
        var scratch = Path.Combine(fixture.DataDirectory, "artifacts", "training", run.Id);
        var left = await Poll.UntilAsync(
            () => Task.FromResult<string[]?>(Directory.Exists(scratch) ? Directory.GetFiles(scratch, "*", SearchOption.AllDirectories) : []),
            files => files.Length == 0, _ => false, TimeSpan.FromSeconds(10), files => $"leaving {string.Join(", ", files.Select(Path.GetFileName))}");
        Assert.Empty(left);
    }

    private IArtifactStore Artifacts => fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IArtifactStore>();

    private sealed record Run(string Id, ITrainingJobGrain Job, string Model, string Csv, int Seed, int Rounds);
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ExactWeightsCollection
{
    public const string Name = "exact weights";
}
