using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrleansML.Serving;

/// <summary>
/// Sends a share of the requests a silo answers to the model's shadow version as well, off the response path: the
/// predictor only offers the answered request to a bounded queue (dropped and counted when full, so a slow shadow
/// never holds up or piles up behind live traffic), and <see cref="Consumers"/> background loops run the shadow on
/// this silo's replica and record how its outputs compare (<see cref="ShadowLedger"/>).
/// </summary>
public sealed partial class ShadowMirror(ReplicaCache replicas, ShadowLedger ledger, ILogger<ShadowMirror> logger) : BackgroundService
{
    public const int QueueCapacity = 256;

    public const int Consumers = 2;

    private readonly Channel<Mirrored> _queue = Channel.CreateBounded<Mirrored>(new BoundedChannelOptions(QueueCapacity)
    {
        SingleWriter = false,
        SingleReader = false,
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

        if (_queue.Writer.TryWrite(new Mirrored(model.Name, model.Batching, model.OnnxSession, shadow, target, request.Inputs, outputs, Stopwatch.GetTimestamp())))
        {
            ledger.Mirrored(model.Name, shadow);
        }
        else
        {
            ledger.Dropped(model.Name, shadow);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Consumers).Select(_ => ConsumeAsync(stoppingToken)));

    private async Task ConsumeAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var mirrored in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                await RunAsync(mirrored);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RunAsync(Mirrored mirrored)
    {
        try
        {
            var inputs = SignatureCheck.Conform(mirrored.Target.Signature, mirrored.Inputs);
            var replica = await replicas.AcquireAsync(mirrored.Model, mirrored.Target, mirrored.Batching, mirrored.OnnxSession);
            TensorData[] outputs;
            try
            {
                outputs = await replica.PredictAsync(inputs, counted: false);
            }
            finally
            {
                replica.Release();
            }

            var milliseconds = Stopwatch.GetElapsedTime(mirrored.EnqueuedAt).TotalMilliseconds;
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
            ledger.Failed(mirrored.Model, mirrored.Shadow, Stopwatch.GetElapsedTime(mirrored.EnqueuedAt).TotalMilliseconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Shadow version {Version} of model {Model} failed on a mirrored request: {Reason}")]
    private partial void LogShadowFailed(string model, int version, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Shadow version {Version} of model {Model} answered no output comparable with the primary's (names, shapes or datatypes differ)")]
    private partial void LogIncomparable(string model, int version);

    private sealed record Mirrored(
        string Model, BatchingSettings Batching, OnnxSessionSettings OnnxSession, ShadowSettings Shadow, ModelVersionInfo Target, TensorData[] Inputs, TensorData[] Answered, long EnqueuedAt);
}
