using System.Diagnostics;
using OrleansML.Errors;
using OrleansML.Onnx;
using OrleansML.Torch;

namespace OrleansML.Serving;

/// <summary>
/// One model version loaded on one silo's device (by any engine: <see cref="IModelRunner"/>), shared by every predictor activation on that silo. Requests hold
/// it between <see cref="TryAcquire"/> and <see cref="Release"/>; once retired (swapped out, evicted, idle) it frees
/// its native memory as soon as the last in-flight request is done, so a swap never cuts a request short.
/// </summary>
public sealed class Replica
{
    private readonly IModelRunner _runner;
    private readonly DynamicBatcher _batcher;
    private readonly ServingMetrics _metrics;
    private int _inFlight;
    private int _retired;
    private int _disposed;

    public Replica(string model, ModelVersionInfo version, IModelRunner runner, BatchingSettings batching, ServingMetrics metrics)
    {
        Model = model;
        Version = version;
        _runner = runner;
        _metrics = metrics;
        OnnxSession = (runner as OnnxRunner)?.SessionSettings;

        // An unbatched model takes one input per forward pass: nothing to coalesce.
        _batcher = new DynamicBatcher(version.Signature.IsBatched ? batching : batching with { Enabled = false }, Execute);
        Touch();
    }

    public string Model { get; }

    public ModelVersionInfo Version { get; }

    public long Bytes => _runner.Bytes;

    public string Device => _runner.Device;

    /// <summary>For an ONNX version, the settings its session was opened with; null for other engines.</summary>
    public OnnxSessionSettings? OnnxSession { get; }

    public long LastUsedTicks { get; private set; }

    public bool IsDisposed => Volatile.Read(ref _disposed) == 1;

    public bool TryAcquire()
    {
        Interlocked.Increment(ref _inFlight);
        if (Volatile.Read(ref _retired) == 1)
        {
            Release();
            return false;
        }

        Touch();
        return true;
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _inFlight) == 0 && Volatile.Read(ref _retired) == 1)
        {
            _ = DisposeOnceAsync();
        }
    }

    /// <summary>Stops new requests; frees native memory once the in-flight ones are done.</summary>
    public void Retire()
    {
        Interlocked.Exchange(ref _retired, 1);
        if (Volatile.Read(ref _inFlight) == 0)
        {
            _ = DisposeOnceAsync();
        }
    }

    /// <summary>Runs inputs already conformed to the signature (<see cref="SignatureCheck.Conform"/>): in its order and datatypes.</summary>
    /// <remarks>A shadow's mirrored requests are not <paramref name="counted"/>: the version's statistics stay those of the requests it answered.</remarks>
    public Task<TensorData[]> PredictAsync(TensorData[] inputs, bool counted = true) =>
        _batcher.EnqueueAsync(new PendingPrediction(inputs, Version.Signature.IsBatched, counted));

    /// <summary>A forward pass on zeros (an ONNX version's probe inputs) that loads the version's kernels; not counted in the statistics.</summary>
    public Task WarmAsync() =>
        _batcher.EnqueueAsync(new PendingPrediction(
            Version.Format == ModelFormat.Onnx ? OnnxProbe.Inputs(Version.Signature) : Version.Signature.Inputs.Select(i => i.Zeros()).ToArray(),
            Version.Signature.IsBatched, counted: false));

    private void Touch() => LastUsedTicks = Environment.TickCount64;

    private async Task DisposeOnceAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _batcher.DisposeAsync();
        _runner.Dispose();
    }

    private void Execute(IReadOnlyList<PendingPrediction> batch)
    {
        var started = Stopwatch.GetTimestamp();
        _metrics.Batched(Model, Version.Version, batch.Count, Stopwatch.GetElapsedTime(batch[0].EnqueuedAt, started).TotalMilliseconds);
        try
        {
            var outputs = Forward(batch, out var inputDone, out var inferDone);
            if (batch.Any(p => p.Counted))
            {
                _metrics.Statistics.Executed(Model, Version.Version, batch.Sum(p => (long)p.Rows), batch.Where(p => p.Counted).Select(p => p.EnqueuedAt),
                    started, inputDone, inferDone, Stopwatch.GetTimestamp());
            }

            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Result.TrySetResult(outputs[i]);
            }
        }
        catch (Exception) when (batch.Count > 1)
        {
            // One request's input can break a whole batch: run each alone so only the culprit fails.
            foreach (var pending in batch)
            {
                Execute([pending]);
            }
        }
        catch (Exception exception)
        {
            batch[0].Result.TrySetException(exception is PlatformException ? exception
                : PlatformException.Invalid($"the model failed on this input: {ModelArtifacts.FirstLine(exception.Message)}"));
        }
    }

    /// <summary>
    /// One forward pass over the batch: each input is the requests' buffers back to back (rows first), handed to the
    /// engine as one tensor; each output is split back into the requests' rows.
    /// </summary>
    private TensorData[][] Forward(IReadOnlyList<PendingPrediction> batch, out long inputDone, out long inferDone)
    {
        var specs = Version.Signature.Inputs;
        var batched = Version.Signature.IsBatched;
        var rows = batch.Sum(p => (long)p.Rows);
        var singleRowForm = false;
        var inputs = new RunnerInput[specs.Length];
        for (var i = 0; i < specs.Length; i++)
        {
            var first = batch[0].Inputs[i];
            long[] shape;
            if (batched)
            {
                shape = [rows, .. first.Shape[1..]];
            }
            else
            {
                // An unbatched model also takes "a single row of" its input; it runs on the input itself.
                singleRowForm = first.Shape.Length == specs[i].Shape.Length + 1;
                shape = singleRowForm ? first.Shape[1..] : first.Shape;
            }

            var index = i;
            inputs[i] = new RunnerInput(first.DataType, shape, batch.Select(p => p.Inputs[index].Data).ToList());
        }

        var times = new RunTimes();
        var outputs = _runner.Run(inputs, times);
        (inputDone, inferDone) = (times.InputsReady, times.InferDone);
        var results = new TensorData[batch.Count][];
        for (var r = 0; r < batch.Count; r++)
        {
            results[r] = new TensorData[outputs.Length];
        }

        for (var o = 0; o < outputs.Length; o++)
        {
            var output = outputs[o];
            var name = o < Version.Signature.Outputs.Length ? Version.Signature.Outputs[o].Name : $"output{o}";
            if (!batched)
            {
                results[0][o] = new TensorData(name, output.DataType, singleRowForm ? [1, .. output.Shape] : output.Shape, output.Data);
                continue;
            }

            if (output.Shape.Length == 0 || output.Shape[0] != rows)
            {
                throw PlatformException.Invalid($"the model returned shape {SignatureCheck.Format(output.Shape)} for output '{name}' on a batch of {rows} rows.");
            }

            if (batch.Count == 1)
            {
                results[0][o] = output with { Name = name };
                continue;
            }

            var offsets = RowSplit.Offsets(output, rows);
            var row = 0;
            for (var r = 0; r < batch.Count; r++)
            {
                var (start, end) = (offsets[row], offsets[row + batch[r].Rows]);
                results[r][o] = new TensorData(name, output.DataType, [batch[r].Rows, .. output.Shape[1..]], output.Data.AsSpan(start, end - start).ToArray());
                row += batch[r].Rows;
            }
        }

        return results;
    }
}
