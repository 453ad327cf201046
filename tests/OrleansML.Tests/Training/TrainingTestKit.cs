using System.Globalization;
using System.Text;
using OrleansML.Datasets;
using OrleansML.Serving;
using OrleansML.Storage;
using OrleansML.Tests.Infrastructure;
using OrleansML.Torch;
using OrleansML.Training;
using static TorchSharp.torch;

namespace OrleansML.Tests.Training;

public static class TrainingTestKit
{
    public static async Task<DatasetInfo> UploadAsync(IArtifactStore artifacts, IGrainFactory grains, string name, Stream csv, string label = "Class")
    {
        var dataset = await new CsvDatasetImporter(artifacts).ImportAsync(name, label, csv);
        return await grains.GetGrain<IDatasetGrain>(name).RegisterAsync(dataset);
    }

    public static Task<TrainingJobStatus> WaitAsync(ITrainingJobGrain job, TimeSpan deadline, Func<TrainingJobStatus, bool>? until = null) =>
        Poll.UntilAsync(job.GetAsync, until ?? (s => s.IsFinished), s => s.IsFinished, deadline, s => $"{s.State} at round {s.Round}/{s.TotalRounds}");

    /// <summary>A small separable 3-class problem: 6 features, class = argmax of three feature sums.</summary>
    public static string SyntheticCsv(int rows, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder("a,b,c,d,e,f,Class\n");
        for (var i = 0; i < rows; i++)
        {
            var x = Enumerable.Range(0, 6).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            var scores = new[] { x[0] + x[1], x[2] + x[3], x[4] + x[5] };
            text.Append(string.Join(',', x.Select(v => v.ToString("0.####", CultureInfo.InvariantCulture))))
                .Append(',').Append(Array.IndexOf(scores, scores.Max())).Append('\n');
        }

        return text.ToString();
    }

    public static async Task<float[]> WeightsAsync(IArtifactStore artifacts, ModelVersionInfo version)
    {
        await using var stream = (await artifacts.OpenReadAsync(version.ArtifactKey))!;
        var bytes = new MemoryStream();
        await stream.CopyToAsync(bytes);
        using var model = ModelArtifacts.Load(bytes.ToArray(), version.Format, version.Architecture, CPU);
        return Flatten(model.Module);
    }

    /// <summary>The weights a job with this architecture and seed starts from.</summary>
    public static nn.Module<Tensor, Tensor> Initial(ArchitectureSpec architecture, int seed)
    {
        lock (TorchGenerator.Lock)
        {
            manual_seed(seed);
            return ArchitectureBuilder.Build(architecture);
        }
    }

    /// <summary>
    /// A plain TorchSharp SGD loop (lr 0.1) over the batches a job's plan gives for a <see cref="SyntheticCsv"/>
    /// dataset: the weights a job with no validation split must end with.
    /// </summary>
    public static float[] PlainSgdLoop(string csv, ArchitectureSpec architecture, int seed, int batch, int rounds)
    {
        var rows = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => l.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        using var module = Initial(architecture, seed);
        using var sgd = optim.SGD(module.parameters(), 0.1);
        var plan = new TrainingPlan(rows.Length, 0, batch, seed);
        for (var round = 0; round < rounds; round++)
        {
            using var scope = NewDisposeScope();
            var indices = plan.Batch(round);
            var x = tensor(indices.SelectMany(i => rows[i][..6]).ToArray(), [indices.Length, 6]);
            var y = tensor(indices.Select(i => (long)rows[i][6]).ToArray());
            sgd.zero_grad();
            nn.functional.cross_entropy(module.call(x), y).backward();
            sgd.step();
        }

        return Flatten(module);
    }

    public static float[] Flatten(nn.Module module) =>
        module.parameters().SelectMany(p => p.detach().cpu().data<float>().ToArray()).ToArray();

    /// <summary>Predicts every row of an optdigits file through the model's predictor and returns the accuracy.</summary>
    public static async Task<double> OptDigitsAccuracyAsync(IGrainFactory grains, string model, int version)
    {
        var lines = File.ReadAllLines(Fixtures.OptDigitsTest).Skip(1).Where(l => l.Length > 0)
            .Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        var input = TestTensors.Fp32([lines.Length, 64], lines.SelectMany(l => l[..64]).ToArray());
        var prediction = await grains.GetGrain<IPredictorGrain>(model).PredictAsync(TestTensors.Request(input, version));
        var output = prediction.Outputs[0].ToDoubles();
        var correct = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var row = output.AsSpan(i * 10, 10);
            var best = 0;
            for (var c = 1; c < 10; c++)
            {
                best = row[c] > row[best] ? c : best;
            }

            correct += best == (int)lines[i][64] ? 1 : 0;
        }

        return (double)correct / lines.Length;
    }

    public static TrainingJobSpec OptDigitsJob(string model, string dataset) => new()
    {
        Model = model,
        Dataset = dataset,
        Architecture = new ArchitectureSpec("mlp", 64, [64], 10),
        Epochs = 8,
        BatchSize = 64,
        LearningRate = 0.003,
        Optimizer = "adam",
        Seed = 42,
        Standardize = true,
        ValidationSplit = 0.1,
    };
}
