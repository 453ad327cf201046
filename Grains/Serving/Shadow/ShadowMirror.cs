using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrleansML.Serving;

/// <summary>
/// Sends a share of the requests a silo answers to the model's shadow version as well, off the response path: the
/// predictor only offers the answered request to a bounded queue (dropped and counted when full, so a slow shadow
/// never holds up or piles up behind live traffic). A background loop takes what arrived within one
/// <see cref="Window"/> and hands each version's share to this silo's replica at once, so the replica's batcher runs
/// them as a few forward passes instead of one per request (the primary shares the silo's cores with its shadow: one
/// forward pass per mirrored request cost it a fifth of its latency at concurrency 1), then records how the shadow's
/// outputs compare (<see cref="ShadowLedger"/>).
/// </summary>
public sealed partial class ShadowMirror(ReplicaCache replicas, ShadowLedger ledger, ILogger<ShadowMirror> logger) : BackgroundService
{
    public const int QueueCapacity = 1024;

    /// <summary>How long mirrored requests gather before they run together.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(10);

    private readonly Channel<Mirrored> _queue = Channel.CreateBounded<Mirrored>(new BoundedChannelOptions(QueueCapacity)
    {
        SingleWriter = false,
        SingleReader = true,
    });

    /// <summary>Mirrors the request with the shadow's percentage when <paramref name="model"/> has a shadow other than the answering version.</summary>
    public void Offer(ModelInfo model, ModelVersionInfo answered, PredictionRequest request, TensorData[] outputs)
    {
        if (model.Shadow is not { } shadow || answered.Version == shadow.Version || Random.Shared.NextDouble() * 100 >= shadow.Percent)
        {
            return;
        }

        var target = model.Versions.FirstOrDefault(v => v.Version == shadow.Version && v.State == VersionState.Available);
        if (target is null)
        {
            return;
        }

        if (_queue.Writer.TryWrite(new Mirrored(model.Name, model.Batching, model.OnnxSession, shadow, target, request.Inputs, outputs)))
        {
            ledger.Mirrored(model.Name, shadow);
        }
        else
        {
            ledger.Dropped(model.Name, shadow);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _queue.Reader;
        var gathered = new List<Mirrored>();
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(Window, stoppingToken);
                gathered.Clear();
                while (gathered.Count < QueueCapacity && reader.TryRead(out var mirrored))
                {
                    gathered.Add(mirrored);
                }

                await Task.WhenAll(gathered.GroupBy(m => (m.Model, m.Target.Version, m.Target.Sha256, m.OnnxSession)).Select(RunAsync));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Runs one shadow version's gathered requests on its replica together; each is compared on its own.</summary>
    private async Task RunAsync(IEnumerable<Mirrored> requests)
    {
        var group = requests.ToList();
        var first = group[0];
        Replica replica;
        try
        {
            replica = await replicas.AcquireAsync(first.Model, first.Target, first.Batching, first.OnnxSession);
        }
        catch (Exception exception)
        {
            LogShadowFailed(first.Model, first.Shadow.Version, exception.Message);
            group.ForEach(m => ledger.Failed(m.Model, m.Shadow, 0));
            return;
        }

        try
        {
            var dispatched = Stopwatch.GetTimestamp();
            await Task.WhenAll(group.Select(m => CompareAsync(replica, m, dispatched)));
        }
        finally
        {
            replica.Release();
        }
    }

    private async Task CompareAsync(Replica replica, Mirrored mirrored, long dispatched)
    {
        try
        {
            var inputs = SignatureCheck.Conform(mirrored.Target.Signature, mirrored.Inputs);
            var outputs = await replica.PredictAsync(inputs, counted: false);
            var milliseconds = Stopwatch.GetElapsedTime(dispatched).TotalMilliseconds;
            if (OutputComparer.Compare(mirrored.Answered, outputs, mirrored.Target.Signature.IsBatched) is { } difference)
            {
                ledger.Compared(mirrored.Model, mirrored.Shadow, difference, milliseconds);
            }
            else
            {
                LogIncomparable(mirrored.Model, mirrored.Shadow.Version);
                ledger.Failed(mirrored.Model, mirrored.Shadow, milliseconds);
            }
        }
        catch (Exception exception)
        {
            LogShadowFailed(mirrored.Model, mirrored.Shadow.Version, exception.Message);
            ledger.Failed(mirrored.Model, mirrored.Shadow, Stopwatch.GetElapsedTime(dispatched).TotalMilliseconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Shadow version {Version} of model {Model} failed on a mirrored request: {Reason}")]
    private partial void LogShadowFailed(string model, int version, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Shadow version {Version} of model {Model} answered no output comparable with the primary's (names, shapes or datatypes differ)")]
    private partial void LogIncomparable(string model, int version);

    private sealed record Mirrored(
        string Model, BatchingSettings Batching, OnnxSessionSettings OnnxSession, ShadowSettings Shadow, ModelVersionInfo Target, TensorData[] Inputs, TensorData[] Answered);
}
