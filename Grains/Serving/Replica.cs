using System.Diagnostics;
using OrleansML.Errors;
using OrleansML.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace OrleansML.Serving;

/// <summary>
/// One model version loaded on one silo's device, shared by every predictor activation on that silo. Requests hold
/// it between <see cref="TryAcquire"/> and <see cref="Release"/>; once retired (swapped out, evicted, idle) it frees
/// its native memory as soon as the last in-flight request is done, so a swap never cuts a request short.
/// </summary>
public sealed class Replica
{
    private readonly TorchModel _model;
    private readonly DynamicBatcher _batcher;
    private readonly ServingMetrics _metrics;
    private readonly Tensor? _mean;
    private readonly Tensor? _std;
    private int _inFlight;
    private int _retired;
    private int _disposed;

    public Replica(string model, ModelVersionInfo version, TorchModel torchModel, BatchingSettings batching, ServingMetrics metrics)
    {
        Model = model;
        Version = version;
        _model = torchModel;
        _metrics = metrics;
        if (version.Preprocessing is { } standardization)
        {
            _mean = tensor(standardization.Mean).to(torchModel.Device).DetachFromDisposeScope();
            _std = tensor(standardization.Std).to(torchModel.Device).DetachFromDisposeScope();
        }

        // An unbatched model takes one input per forward pass: nothing to coalesce.
        _batcher = new DynamicBatcher(version.Signature.Input.IsBatched ? batching : batching with { Enabled = false }, Execute);
        Touch();
    }

    public string Model { get; }

    public ModelVersionInfo Version { get; }

    public long Bytes => _model.Bytes;

    public string Device => _model.Device.ToString();

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

    public Task<TensorData[]> PredictAsync(TensorData input) => _batcher.EnqueueAsync(new PendingPrediction(input));

    private void Touch() => LastUsedTicks = Environment.TickCount64;

    private async Task DisposeOnceAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _batcher.DisposeAsync();
        _mean?.Dispose();
        _std?.Dispose();
        _model.Dispose();
    }

    private void Execute(IReadOnlyList<PendingPrediction> batch)
    {
        var started = Stopwatch.GetTimestamp();
        _metrics.Batched(Model, Version.Version, batch.Count, Stopwatch.GetElapsedTime(batch[0].EnqueuedAt, started).TotalMilliseconds);
        try
        {
            var outputs = Forward(batch.Select(p => p.Input).ToList());
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

    private TensorData[][] Forward(IReadOnlyList<TensorData> inputs)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var rows = inputs.Sum(i => i.Shape[0]);
        var shape = inputs[0].Shape.Skip(1).Prepend(rows).ToArray();
        var values = new double[inputs.Sum(i => i.Data.Length)];
        var offset = 0;
        foreach (var input in inputs)
        {
            input.Data.CopyTo(values, offset);
            offset += input.Data.Length;
        }

        var unbatched = !Version.Signature.Input.IsBatched;
        if (unbatched)
        {
            shape = Version.Signature.Input.Shape.Zip(inputs[0].Shape.TakeLast(Version.Signature.Input.Shape.Length), (e, a) => e < 0 ? a : e).ToArray();
        }

        var batch = tensor(values, shape).to(ScalarTypeOf(Version.Signature.Input.DataType)).to(_model.Device);
        if (_mean is not null && _std is not null)
        {
            batch = (batch - _mean) / _std;
        }

        var output = _model.Forward(batch);
        if (unbatched)
        {
            // Answer in the request's form: a single-row request gets a single-row answer.
            var answer = inputs[0].Shape.Length > Version.Signature.Input.Shape.Length ? output.unsqueeze(0) : output;
            var data = answer.cpu().to(ScalarType.Float64).contiguous().data<double>().ToArray();
            return [[new TensorData(Version.Signature.Outputs[0].Name, DataTypeOf(output.dtype), answer.shape, data)]];
        }

        if (output.dim() == 0 || output.shape[0] != rows)
        {
            throw PlatformException.Invalid($"the model returned shape {SignatureCheck.Format(output.shape)} for a batch of {rows} rows.");
        }

        var dataType = DataTypeOf(output.dtype);
        var flat = output.cpu().to(ScalarType.Float64).contiguous().data<double>().ToArray();
        var rowSize = (int)(flat.Length / rows);
        var spec = Version.Signature.Outputs[0];
        var results = new TensorData[inputs.Count][];
        var start = 0;
        for (var i = 0; i < inputs.Count; i++)
        {
            var count = (int)inputs[i].Shape[0];
            var outShape = output.shape.Skip(1).Prepend(count).ToArray();
            results[i] = [new TensorData(spec.Name, dataType, outShape, flat.AsSpan(start * rowSize, count * rowSize).ToArray())];
            start += count;
        }

        return results;
    }

    private static ScalarType ScalarTypeOf(string dataType) => dataType switch
    {
        "FP64" => ScalarType.Float64,
        "INT32" => ScalarType.Int32,
        "INT64" => ScalarType.Int64,
        _ => ScalarType.Float32,
    };

    private static string DataTypeOf(ScalarType type) => type switch
    {
        ScalarType.Float64 => "FP64",
        ScalarType.Int32 => "INT32",
        ScalarType.Int64 => "INT64",
        ScalarType.Bool => "BOOL",
        _ => "FP32",
    };
}
