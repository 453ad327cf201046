using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using OrleansML.Serving;
using OrleansML.Storage;
using OrleansML.Tests.Infrastructure;
using OrleansML.Training;

namespace OrleansML.Tests.Training;

/// <summary>Recovery from a checkpoint resumes the exact training state: a job that lost a worker silo ends on the weights of an uninterrupted run.</summary>
public sealed class CheckpointRecoveryTests(FaultClusterFixture fixture) : IClassFixture<FaultClusterFixture>
{
    [Fact]
    public async Task A_job_that_lost_a_worker_silo_resumes_from_its_checkpoint_to_the_weights_of_a_plain_loop_and_leaves_no_checkpoint_behind()
    {
        const int Rounds = 600, Batch = 30, Seed = 11;
        var architecture = new ArchitectureSpec("mlp", 6, [32], 3);
        var csv = TrainingTestKit.SyntheticCsv(600, seed: 4);
        var artifacts = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IArtifactStore>();
        await TrainingTestKit.UploadAsync(artifacts, fixture.Client, "recovery", new MemoryStream(Encoding.UTF8.GetBytes(csv)));
        var id = Guid.NewGuid().ToString("N");
        var job = fixture.Client.GetGrain<ITrainingJobGrain>(id);
        await job.StartAsync(new TrainingJobSpec
        {
            Model = "recovery", Dataset = "recovery", Architecture = architecture, Epochs = 1000, BatchSize = Batch,
            LearningRate = 0.1, Optimizer = "sgd", Seed = Seed, Workers = 3, MaxRounds = Rounds,
        });

        var running = await TrainingTestKit.WaitAsync(job, TimeSpan.FromSeconds(60), s => s.LastCheckpointRound >= 20);
        Assert.True(running.State == TrainingState.Running && running.Round < Rounds, $"{running.State} at round {running.Round}");
        var victim = fixture.Cluster.Silos.Skip(1).First(s => s.SiloAddress.ToParsableString() != running.CoordinatorSilo);
        await fixture.Cluster.KillSiloAsync(victim);
        var status = await TrainingTestKit.WaitAsync(job, TimeSpan.FromSeconds(120));

        Assert.True(status.State == TrainingState.Succeeded, status.FailureReason);
        Assert.NotEmpty(status.Recoveries);
        Assert.Equal(Rounds, status.Round);
        var version = (await fixture.Client.GetGrain<IModelGrain>("recovery").GetAsync())!.Versions.Single(v => v.Version == status.ResultVersion);
        var trained = await TrainingTestKit.WeightsAsync(artifacts, version);
        var plain = TrainingTestKit.PlainSgdLoop(csv, architecture, Seed, Batch, Rounds);
        Assert.Equal(plain.Length, trained.Length);
        for (var i = 0; i < plain.Length; i++)
        {
            // Three workers and then two sum the gradient in other orders than the plain loop: float rounding only.
            Assert.True(Math.Abs(plain[i] - trained[i]) < 1e-4, $"weight {i}: plain {plain[i]}, recovered job {trained[i]}");
        }

        var scratch = Path.Combine(fixture.DataDirectory, "artifacts", "training", id);
        Assert.Empty(Directory.Exists(scratch) ? Directory.GetFiles(scratch, "*", SearchOption.AllDirectories) : []);
    }
    [Fact]
    public async Task A_coordinator_whose_job_another_activation_stored_steps_aside_and_the_job_ends_on_the_plain_loop_weights()
    {
        const int Rounds = 3000, Batch = 30, Seed = 12;
        var architecture = new ArchitectureSpec("mlp", 6, [32], 3);
        var csv = TrainingTestKit.SyntheticCsv(600, seed: 5);
        var artifacts = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IArtifactStore>();
        await TrainingTestKit.UploadAsync(artifacts, fixture.Client, "takeover", new MemoryStream(Encoding.UTF8.GetBytes(csv)));
        var id = Guid.NewGuid().ToString("N");
        var job = fixture.Client.GetGrain<ITrainingJobGrain>(id);
        await job.StartAsync(new TrainingJobSpec
        {
            Model = "takeover", Dataset = "takeover", Architecture = architecture, Epochs = 1000, BatchSize = Batch,
            LearningRate = 0.1, Optimizer = "sgd", Seed = Seed, Workers = 2, MaxRounds = Rounds,
        });
        await TrainingTestKit.WaitAsync(job, TimeSpan.FromSeconds(60), s => s.LastCheckpointRound >= 20);

        // What a second activation does when a dying silo takes the job's directory entry with it: it stores the
        // job's state, so the running activation's next write is refused. That one must not end the job (which
        // deleted the initial weights the job restores from, and failed it) but step aside for the stored job.
        var storage = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.Platform);
        var stored = new GrainState<TrainingJobState>();
        await storage.ReadStateAsync("job", job.GetGrainId(), stored);
        await storage.WriteStateAsync("job", job.GetGrainId(), stored);
        Assert.True(stored.State!.State == TrainingState.Running, $"the job was {stored.State.State} when its state was written behind its back");
        var status = await TrainingTestKit.WaitAsync(job, TimeSpan.FromSeconds(120));

        Assert.True(status.State == TrainingState.Succeeded, status.FailureReason);
        Assert.Contains(status.Recoveries, r => r.Contains("activated again", StringComparison.Ordinal));
        Assert.Equal(Rounds, status.Round);
        var version = (await fixture.Client.GetGrain<IModelGrain>("takeover").GetAsync())!.Versions.Single(v => v.Version == status.ResultVersion);
        var trained = await TrainingTestKit.WeightsAsync(artifacts, version);
        var plain = TrainingTestKit.PlainSgdLoop(csv, architecture, Seed, Batch, Rounds);
        for (var i = 0; i < plain.Length; i++)
        {
            Assert.True(Math.Abs(plain[i] - trained[i]) < 1e-4, $"weight {i}: plain {plain[i]}, job {trained[i]}");
        }

        var scratch = Path.Combine(fixture.DataDirectory, "artifacts", "training", id);
        Assert.Empty(Directory.Exists(scratch) ? Directory.GetFiles(scratch, "*", SearchOption.AllDirectories) : []);
    }
}
