using Microsoft.Extensions.DependencyInjection;
using OrleansML.Serving;
using OrleansML.Storage;
using OrleansML.Tests.Infrastructure;
using OrleansML.Torch;
using OrleansML.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace OrleansML.Tests.Training;

[Collection(ClusterCollection.Name)]
public sealed class DistributedTrainingTests(ClusterFixture fixture)
{
    private IArtifactStore Artifacts => fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IArtifactStore>();

    [Fact]
    public async Task One_and_three_workers_give_the_weights_of_a_plain_TorchSharp_loop_over_the_same_batches()
    {
        const int Rounds = 6, Batch = 32, Seed = 7;
        var architecture = new ArchitectureSpec("mlp", 6, [16], 3);
        var csv = TrainingTestKit.SyntheticCsv(240, seed: 3);
        await TrainingTestKit.UploadAsync(Artifacts, fixture.Client, "equivalence", new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)));

        var weights = new Dictionary<int, float[]>();
        foreach (var workers in new[] { 1, 3 })
        {
            var job = fixture.Client.GetGrain<ITrainingJobGrain>(Guid.NewGuid().ToString("N"));
            await job.StartAsync(new TrainingJobSpec
            {
                Model = $"equivalence-n{workers}", Dataset = "equivalence", Architecture = architecture, Epochs = 5,
                BatchSize = Batch, LearningRate = 0.1, Optimizer = "sgd", Seed = Seed, Workers = workers, MaxRounds = Rounds,
            });
            var status = await TrainingTestKit.WaitAsync(job, TimeSpan.FromSeconds(60));
            Assert.True(status.State == TrainingState.Succeeded, status.FailureReason);
            Assert.Equal(Rounds, status.Round);
            Assert.Equal(workers, status.Workers.Select(w => w.Silo).Distinct().Count());
            var model = (await fixture.Client.GetGrain<IModelGrain>($"equivalence-n{workers}").GetAsync())!;
            var version = model.Versions.Single(v => v.Version == status.ResultVersion);
            Assert.Equal($"training:{status.Id}", version.Source);
            weights[workers] = await TrainingTestKit.WeightsAsync(Artifacts, version);
        }

        var plain = TrainingTestKit.PlainSgdLoop(csv, architecture, Seed, Batch, Rounds);
        Assert.Equal(plain.Length, weights[1].Length);
        for (var i = 0; i < plain.Length; i++)
        {
            Assert.True(Math.Abs(plain[i] - weights[1][i]) < 1e-5, $"weight {i}: plain {plain[i]}, 1 worker {weights[1][i]}");
            Assert.True(Math.Abs(plain[i] - weights[3][i]) < 1e-5, $"weight {i}: plain {plain[i]}, 3 workers {weights[3][i]}");
        }

        using var initial = TrainingTestKit.Initial(architecture, Seed);
        Assert.Contains(Enumerable.Range(0, plain.Length), i => Math.Abs(TrainingTestKit.Flatten(initial)[i] - plain[i]) > 1e-3);
    }

    [Fact]
    public async Task Optdigits_trained_on_three_silos_predicts_the_test_set_with_at_least_95_percent_accuracy()
    {
        await TrainingTestKit.UploadAsync(Artifacts, fixture.Client, "optdigits-cluster", File.OpenRead(Fixtures.OptDigitsTrain));
        var job = fixture.Client.GetGrain<ITrainingJobGrain>(Guid.NewGuid().ToString("N"));
        await job.StartAsync(TrainingTestKit.OptDigitsJob("digits-cluster", "optdigits-cluster") with { Promote = "stable" });

        var status = await TrainingTestKit.WaitAsync(job, TimeSpan.FromSeconds(90));

        Assert.True(status.State == TrainingState.Succeeded, status.FailureReason);
        Assert.Equal(ClusterFixture.SiloCount, status.Workers.Select(w => w.Silo).Distinct().Count());
        Assert.Equal(8, status.History.Count);
        Assert.True(status.History[^1].ValidationAccuracy > 0.9, $"validation accuracy {status.History[^1].ValidationAccuracy}");
        Assert.True(status.History[^1].Loss < status.History[0].Loss);
        var ringOptimum = 2.0 * 2 / 3 * status.GradientBytes;
        Assert.InRange(status.AllReduceBytesPerWorker, ringOptimum * 0.99, ringOptimum * 1.01);
        var model = (await fixture.Client.GetGrain<IModelGrain>("digits-cluster").GetAsync())!;
        Assert.Equal(status.ResultVersion, model.Labels["stable"]);
        var version = model.Versions.Single(v => v.Version == status.ResultVersion);
        Assert.NotNull(version.Preprocessing);
        Assert.True(version.Metrics["validation_accuracy"] > 0.9);

        var accuracy = await TrainingTestKit.OptDigitsAccuracyAsync(fixture.Client, "digits-cluster", version.Version);
        Assert.True(accuracy >= 0.95, $"test accuracy {accuracy:P2}");
    }
}
