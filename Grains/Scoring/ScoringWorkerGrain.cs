using System.Diagnostics;
using System.Runtime.InteropServices;
using Orleans.Concurrency;
using OrleansML.Datasets.Import;
using OrleansML.Placement;
using OrleansML.Serving;
using OrleansML.Storage;

namespace OrleansML.Scoring;

/// <summary>
/// A scoring worker pinned to its silo. Reentrant, so the units the coordinator keeps in flight here overlap; each
/// holds one storage partition at a time. The predictor is a stateless worker, so calling it from here activates
/// it on this silo and every chunk of a partition, sent at once, meets this silo's replicas and their batching.
/// </summary>
[SiloPinnedPlacement]
[Reentrant]
public sealed class ScoringWorkerGrain(IDatasetStore datasets, DatasetSources sources, ScoringMetrics metrics, ILocalSiloDetails silo) : Grain, IScoringWorkerGrain
{
    public async Task<UnitResult> ScoreAsync(ScoringUnit unit)
    {
        var started = Stopwatch.GetTimestamp();
        var predictor = GrainFactory.GetGrain<IPredictorGrain>(unit.Model);
        var width = unit.Input.Columns.Length;
        long rows = 0;
        int outputs = 0;
        var classification = false;
        await using var parquet = unit.ParquetOutputUrl is null ? null : new ParquetOutputWriter();
        for (var p = unit.FirstPartition; p < unit.FirstPartition + unit.PartitionCount; p++)
        {
            var partitionStarted = Stopwatch.GetTimestamp();
            var input = await ReadPartitionAsync(unit.Input.PartitionKey(p));
            var count = input.Length / (width + 1);
            var chunks = Enumerable.Range(0, (count + unit.ChunkRows - 1) / unit.ChunkRows)
                .Select(c => PredictAsync(predictor, unit, input, width, c * unit.ChunkRows, Math.Min(unit.ChunkRows, count - c * unit.ChunkRows)))
                .ToArray();
            var results = await Task.WhenAll(chunks);
            outputs = results[0].Length / Math.Min(unit.ChunkRows, count);
            classification = ScoringOutput.IsClassification(unit.Output, outputs);
            var outputWidth = ScoringOutput.Width(classification, outputs);
            var output = new float[count * outputWidth];
            var firstId = (long)p * unit.Input.PartitionSize;
            for (var r = 0; r < count; r++)
            {
                var values = results[r / unit.ChunkRows].AsSpan(r % unit.ChunkRows * outputs, outputs);
                ScoringOutput.WriteRow(firstId + r, values, classification, output.AsSpan(r * outputWidth, outputWidth));
            }

            await datasets.WriteAsync($"{unit.StagingPrefix}/part-{p:D5}", new MemoryStream(MemoryMarshal.AsBytes(output.AsSpan()).ToArray()));
            if (parquet is not null)
            {
                await parquet.AppendAsync(output, classification, outputs);
            }

            rows += count;
            metrics.RecordPartition(unit.Model, unit.Version, count, Stopwatch.GetElapsedTime(partitionStarted).TotalMilliseconds);
        }

        if (parquet is not null)
        {
            await sources.Store(unit.ParquetOutputUrl).WriteAsync(ParquetOutputFiles.Staged(unit.StagingPrefix, unit.Unit), new MemoryStream(await parquet.CompleteAsync()));
        }

        return new UnitResult(rows, outputs, classification, Stopwatch.GetElapsedTime(started).TotalMilliseconds, silo.SiloAddress.ToParsableString());
    }

    private static async Task<double[]> PredictAsync(IPredictorGrain predictor, ScoringUnit unit, float[] input, int width, int first, int count)
    {
        var values = new float[count * width];
        for (var r = 0; r < count; r++)
        {
            input.AsSpan((first + r) * (width + 1), width).CopyTo(values.AsSpan(r * width));
        }

        var prediction = await predictor.PredictAsync(new PredictionRequest([TensorData.Of<float>("", [count, width], values)], unit.Version));
        return prediction.Outputs[0].ToDoubles();
    }

    private async Task<float[]> ReadPartitionAsync(string key)
    {
        await using var stream = await datasets.OpenReadAsync(key)
            ?? throw new InvalidOperationException($"input partition '{key}' is missing from the artifact store.");
        var bytes = new MemoryStream();
        await stream.CopyToAsync(bytes);
        return MemoryMarshal.Cast<byte, float>(bytes.GetBuffer().AsSpan(0, (int)bytes.Length)).ToArray();
    }
}
