using System.Diagnostics;
using System.Runtime.InteropServices;
using Orleans.Concurrency;
using OrleansML.Datasets;
using OrleansML.Placement;
using OrleansML.Serving;
using OrleansML.Storage;
using OrleansML.Torch;
using OrleansML.Training.AllReduce;

namespace OrleansML.Training;

/// <summary>
/// A training replica pinned to its silo. Reentrant so that peers' all-reduce chunks are taken in while a round
/// waits for them; the coordinator sends it one call at a time.
/// </summary>
[SiloPinnedPlacement]
[Reentrant]
public sealed class TrainingWorkerGrain(IArtifactStore artifacts, TorchDevices devices, TrainingMetrics metrics) : Grain, ITrainingWorkerGrain
{
    private readonly PeerMailbox _mailbox = new();
    private TrainingReplica? _replica;
    private DatasetReader? _reader;
    private GrainPeerTransport? _transport;
    private IAllReduce? _allReduce;
    private WorkerSetup? _setup;

    public async Task InitializeAsync(WorkerSetup setup)
    {
        _replica?.Dispose();
        _mailbox.Forget(long.MaxValue);
        _setup = setup;
        var device = devices.Pick(setup.Rank);
        var weights = await ReadAsync(setup.WeightsKey);
        var model = ModelArtifacts.Load(weights, setup.Format, setup.Architecture, device);
        _replica = new TrainingReplica(model, setup.Optimizer, setup.LearningRate, setup.Dataset.LabelClasses, setup.Standardization);
        if (setup.CheckpointKey is not null)
        {
            Checkpoint.Restore(await ReadAsync(setup.CheckpointKey), _replica);
        }

        _reader = new DatasetReader(setup.Dataset, artifacts);
        var peers = setup.Peers.Select(k => GrainFactory.GetGrain<ITrainingWorkerGrain>(k)).ToArray();
        _transport = new GrainPeerTransport(setup.Rank, peers, _mailbox, setup.ChunkFloats, setup.PeerTimeout);
        _allReduce = AllReduceAlgorithms.Create(setup.AllReduce);
    }

    public async Task<RoundResult> RunRoundAsync(RoundWork work)
    {
        var replica = _replica ?? throw new InvalidOperationException("the worker has not been initialized.");
        var started = Stopwatch.GetTimestamp();
        var width = _reader!.Width;
        var features = new float[work.Rows.Length * width];
        var labels = new float[work.Rows.Length];
        await _reader.ReadAsync(work.Rows, features, labels);
        var loss = replica.ComputeGradient(features, labels, work.Rows.Length, (double)work.Rows.Length / work.GlobalBatch);
        var computed = Stopwatch.GetTimestamp();

        var bytesBefore = _transport!.BytesSent;
        await _allReduce!.SumAsync(replica.Gradient, _transport, work.Round, CancellationToken.None);
        var reduced = Stopwatch.GetTimestamp();
        replica.Step(replica.Gradient);
        _mailbox.Forget(work.Round);

        var bytes = _transport.BytesSent - bytesBefore;
        var allReduceMs = Stopwatch.GetElapsedTime(computed, reduced).TotalMilliseconds;
        metrics.RecordAllReduce(allReduceMs, bytes, _setup!.AllReduce);
        return new RoundResult(loss, bytes, Stopwatch.GetElapsedTime(started, computed).TotalMilliseconds, allReduceMs, replica.Size);
    }

    public Task DeliverAsync(GradientChunk chunk)
    {
        _mailbox.Deliver(chunk.From, chunk.Round, chunk.Step, chunk.Offset, chunk.Total, chunk.Data);
        return Task.CompletedTask;
    }

    public async Task<Evaluation> EvaluateAsync(int[] rows)
    {
        var replica = _replica ?? throw new InvalidOperationException("the worker has not been initialized.");
        var width = _reader!.Width;
        var features = new float[rows.Length * width];
        var labels = new float[rows.Length];
        await _reader.ReadAsync(rows, features, labels);
        var (loss, correct) = replica.Evaluate(features, labels, rows.Length);
        return new Evaluation(loss, correct, rows.Length);
    }

    public Task SaveCheckpointAsync(string key) =>
        WriteAsync(key, Checkpoint.Save(_replica ?? throw new InvalidOperationException("the worker has not been initialized.")));

    public Task ExportAsync(string key)
    {
        var replica = _replica ?? throw new InvalidOperationException("the worker has not been initialized.");
        replica.Model.Module.eval();
        var bytes = replica.Model.Module is TorchSharp.torch.jit.ScriptModule script
            ? ModelArtifacts.SaveTorchScript(script)
            : ModelArtifacts.SaveNative(replica.Model.Module);
        replica.Model.Module.train();
        return WriteAsync(key, bytes);
    }

    public Task StopAsync()
    {
        this.DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _replica?.Dispose();
        _replica = null;
        return Task.CompletedTask;
    }

    private async Task<byte[]> ReadAsync(string key)
    {
        await using var stream = await artifacts.OpenReadAsync(key) ?? throw new InvalidOperationException($"artifact '{key}' is missing.");
        var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private async Task WriteAsync(string key, byte[] bytes)
    {
        var staging = $"{key}.{Guid.NewGuid():N}.tmp";
        await artifacts.WriteAsync(staging, new MemoryStream(bytes));
        await artifacts.MoveAsync(staging, key);
    }
}

/// <summary>A checkpoint: the optimizer's step count, the flat weights and the optimizer's moment vectors.</summary>
public static class Checkpoint
{
    public static byte[] Save(TrainingReplica replica)
    {
        var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write(replica.Optimizer.Steps);
        writer.Write(replica.Size);
        writer.Write(MemoryMarshal.AsBytes(replica.ReadParameters().AsSpan()));
        writer.Write(replica.Optimizer.First.Length);
        writer.Write(MemoryMarshal.AsBytes(replica.Optimizer.First.AsSpan()));
        writer.Write(MemoryMarshal.AsBytes(replica.Optimizer.Second.AsSpan()));
        writer.Flush();
        return stream.ToArray();
    }

    public static void Restore(byte[] checkpoint, TrainingReplica replica)
    {
        var steps = BitConverter.ToInt64(checkpoint, 0);
        var size = BitConverter.ToInt32(checkpoint, 8);
        if (size != replica.Size)
        {
            throw new InvalidOperationException($"the checkpoint holds {size} weights; the model has {replica.Size}.");
        }

        var floats = MemoryMarshal.Cast<byte, float>(checkpoint.AsSpan(12, size * sizeof(float)));
        replica.WriteParameters(floats);
        var offset = 12 + size * sizeof(float);
        var moments = BitConverter.ToInt32(checkpoint, offset);
        offset += 4;
        MemoryMarshal.Cast<byte, float>(checkpoint.AsSpan(offset, moments * sizeof(float))).CopyTo(replica.Optimizer.First);
        MemoryMarshal.Cast<byte, float>(checkpoint.AsSpan(offset + moments * sizeof(float), moments * sizeof(float))).CopyTo(replica.Optimizer.Second);
        replica.Optimizer.Steps = steps;
    }
}
