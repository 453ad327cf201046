using System.Diagnostics;
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
/// waits for them; the coordinator sends it one run of rounds at a time.
/// </summary>
[SiloPinnedPlacement]
[Reentrant]
public sealed class TrainingWorkerGrain(IArtifactStore artifacts, IDatasetStore datasets, TorchDevices devices, TrainingMetrics metrics) : Grain, ITrainingWorkerGrain
{
    private readonly PeerMailbox _mailbox = new();
    private readonly CheckpointWriter _checkpoints = new(artifacts);
    private readonly Dictionary<int, (float[] Features, float[] Labels)> _buffers = [];
    private TrainingReplica? _replica;
    private TrainingPlan? _plan;
    private DatasetReader? _reader;
    private GrainPeerTransport? _transport;
    private IAllReduce? _allReduce;
    private WorkerSetup? _setup;
    private long _lastRoundEnded;

    public async Task InitializeAsync(WorkerSetup setup)
    {
        _replica?.Dispose();
        _mailbox.Forget(long.MaxValue);
        _setup = setup;
        var device = devices.Pick(setup.Device);
        var weights = await ReadAsync(setup.WeightsKey);
        var model = ModelArtifacts.Load(weights, setup.Format, setup.Architecture, device);
        _replica = new TrainingReplica(model, setup.Optimizer, setup.LearningRate, setup.Dataset.LabelClasses, setup.Standardization);
        if (setup.CheckpointKey is not null)
        {
            Checkpoint.Restore(await ReadAsync(setup.CheckpointKey), _replica);
        }

        _plan = new TrainingPlan(setup.Dataset.Rows, setup.ValidationSplit, setup.BatchSize, setup.Seed);
        _reader = new DatasetReader(setup.Dataset, datasets);
        var peers = setup.Peers.Select(k => GrainFactory.GetGrain<ITrainingWorkerGrain>(k)).ToArray();
        _transport = new GrainPeerTransport(setup.Rank, peers, _mailbox, setup.ChunkFloats, setup.PeerTimeout);
        _allReduce = AllReduceAlgorithms.Create(setup.AllReduce);
        _lastRoundEnded = Stopwatch.GetTimestamp();
    }

    public async Task<RoundsResult> RunRoundsAsync(RoundsWork work)
    {
        var replica = _replica ?? throw new InvalidOperationException("the worker has not been initialized.");
        _checkpoints.ThrowIfFailed();
        var losses = new double[work.Count];
        var durations = new double[work.Count];
        var wall = new double[work.Count];
        var evaluations = new List<Evaluation>();
        var bytes = 0L;
        for (var k = 0; k < work.Count; k++)
        {
            var round = work.First + k;
            var started = Stopwatch.GetTimestamp();
            (losses[k], bytes) = await RunRoundAsync(replica, round);
            durations[k] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (_setup!.Rank == 0 && (round + 1) % _plan!.RoundsPerEpoch == 0 && _plan.ValidationRows.Length > 0)
            {
                // The peers go on to the next round and wait for this replica in its all-reduce.
                evaluations.Add(await EvaluateAsync(replica, _plan.ValidationRows));
            }

            var ended = Stopwatch.GetTimestamp();
            wall[k] = Stopwatch.GetElapsedTime(_lastRoundEnded, ended).TotalMilliseconds;
            _lastRoundEnded = ended;
        }

        if (work.CheckpointKey is { } key)
        {
            await _checkpoints.BeginAsync(key, work.First + work.Count, replica);
        }

        return new RoundsResult(losses, durations, bytes, replica.Size, wall, [.. evaluations]);
    }

    private async Task<(double Loss, long Bytes)> RunRoundAsync(TrainingReplica replica, long round)
    {
        var setup = _setup!;
        var batch = _plan!.Batch(round);
        var rows = TrainingPlan.Slice(batch, setup.Rank, setup.Peers.Length);
        var (features, labels) = Buffers(rows.Length);
        await _reader!.ReadAsync(rows, features, labels);
        if (setup.Peers.Length == 1)
        {
            // Alone, the all-reduce is the identity: step straight from torch's gradient, with no copy.
            return (replica.TrainAlone(features, labels, rows.Length), 0);
        }

        var loss = replica.ComputeGradient(features, labels, rows.Length, (double)rows.Length / batch.Length);
        var bytesBefore = _transport!.BytesSent;
        var reducing = Stopwatch.GetTimestamp();
        await _allReduce!.SumAsync(replica.Gradient, _transport, round, CancellationToken.None);
        var allReduceMs = Stopwatch.GetElapsedTime(reducing).TotalMilliseconds;
        replica.Step(replica.Gradient);
        _mailbox.Forget(round);

        var bytes = _transport.BytesSent - bytesBefore;
        metrics.RecordAllReduce(allReduceMs, bytes, setup.AllReduce);
        return (loss, bytes);
    }

    /// <summary>
    /// The arrays a round reads its rows into, kept from round to round (a slice has one of two or three sizes):
    /// TorchSharp copies them when it makes the input tensor, and a 64 KB array per round was most of the round's garbage.
    /// </summary>
    private (float[] Features, float[] Labels) Buffers(int rows)
    {
        if (!_buffers.TryGetValue(rows, out var buffers))
        {
            _buffers[rows] = buffers = (new float[rows * _reader!.Width], new float[rows]);
        }

        return buffers;
    }

    public Task DeliverAsync(GradientChunk chunk)
    {
        _mailbox.Deliver(chunk.From, chunk.Round, chunk.Step, chunk.Offset, chunk.Total, chunk.Data);
        return Task.CompletedTask;
    }

    public Task<long> FlushCheckpointAsync() => _checkpoints.FlushAsync();

    private async Task<Evaluation> EvaluateAsync(TrainingReplica replica, int[] rows)
    {
        var width = _reader!.Width;
        var features = new float[rows.Length * width];
        var labels = new float[rows.Length];
        await _reader.ReadAsync(rows, features, labels);
        var (loss, correct) = replica.Evaluate(features, labels, rows.Length);
        return new Evaluation(loss, correct, rows.Length);
    }

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

    public async Task StopAsync()
    {
        // The coordinator deletes the job's checkpoints when the job ends: the write in flight lands first, so it
        // cannot leave one behind.
        await _checkpoints.DrainAsync();
        this.DeactivateOnIdle();
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
