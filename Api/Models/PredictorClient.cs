using System.Collections.Concurrent;
using System.Diagnostics;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using OrleansML.Serving;
using Polly;
using Polly.Hedging;

namespace OrleansML.Api.Models;

/// <summary>
/// Sends predictions to the cluster. An Orleans client routes every call for one grain id through one gateway, so
/// requests go to <see cref="Spread"/> predictor keys that change every <see cref="KeyWindow"/>
/// (<c>model/window/shard</c>): the calls spread over all gateways, and a silo that joins (or a gateway that is
/// dropped) is in the rotation within seconds.
/// A call that fails with the cluster (a silo that died or left) is sent again at once on another key; a call still
/// unanswered after the model's own recent p99 latency (times <see cref="HedgeFactor"/>, within
/// [<see cref="MinHedgeDelay"/>, <see cref="MaxHedgeDelay"/>]) is hedged: a second call goes out on another key and
/// the first answer wins (Polly's hedging strategy). So a request that met a silo as it was killed waits about as
/// long as the model takes, not a fixed timeout. Predictions are idempotent, so a second call is safe.
/// An Api that hosts the silo itself (embedded mode) has <paramref name="local"/> and serves from that silo's
/// replicas directly: there is no other silo to spread over or fail over to, and a stateless worker called from its
/// own silo runs there anyway.
/// </summary>
public sealed class PredictorClient(IGrainFactory grains, LocalPredictor? local = null)
{
    public const int Spread = 16;

    public const double HedgeFactor = 3;

    public static readonly TimeSpan KeyWindow = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan MinHedgeDelay = TimeSpan.FromMilliseconds(50);

    public static readonly TimeSpan MaxHedgeDelay = TimeSpan.FromSeconds(1);

    /// <summary>Before a model has a latency history: long enough for a cold load, short of the old 5 s stall.</summary>
    public static readonly TimeSpan InitialHedgeDelay = TimeSpan.FromMilliseconds(500);

    /// <summary>The whole request, every attempt included.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, LatencyWindow> _latencies = new();
    private readonly ConcurrentDictionary<string, ResiliencePipeline<Prediction>> _pipelines = new();
    private int _next;

    /// <summary>How long a call for <paramref name="model"/> may go unanswered before it is hedged.</summary>
    public TimeSpan HedgeDelay(string model)
    {
        var p99 = _latencies.TryGetValue(model, out var window) ? window.P99Milliseconds : double.NaN;
        if (double.IsNaN(p99))
        {
            return InitialHedgeDelay;
        }

        var delay = TimeSpan.FromMilliseconds(p99 * HedgeFactor);
        return delay < MinHedgeDelay ? MinHedgeDelay : delay > MaxHedgeDelay ? MaxHedgeDelay : delay;
    }

    public async Task<Prediction> PredictAsync(string model, PredictionRequest request, CancellationToken cancellationToken)
    {
        if (local is not null)
        {
            var served = local.PredictAsync(model, request);
            try
            {
                return await served.WaitAsync(RequestTimeout, cancellationToken);
            }
            catch (TimeoutException) when (!served.IsCompleted)
            {
                throw Unanswered(model);
            }
        }

        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        var pipeline = _pipelines.GetOrAdd(model, static (name, client) => client.Pipeline(name), this);
        try
        {
            var prediction = await pipeline.ExecuteAsync(async token =>
            {
                var window = Environment.TickCount64 / (long)KeyWindow.TotalMilliseconds;
                var shard = (uint)Interlocked.Increment(ref _next) % Spread;
                return await grains.GetGrain<IPredictorGrain>($"{model}/{window}/{shard}").PredictAsync(request).WaitAsync(token);
            }, timeout.Token);
            _latencies.GetOrAdd(model, _ => new LatencyWindow()).Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return prediction;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Unanswered(model);
        }
    }

    private static TimeoutException Unanswered(string model) =>
        new($"no silo answered the prediction for model '{model}' within {RequestTimeout.TotalSeconds:0} s.");

    private ResiliencePipeline<Prediction> Pipeline(string model) => new ResiliencePipelineBuilder<Prediction>()
        .AddHedging(new HedgingStrategyOptions<Prediction>
        {
            ShouldHandle = new PredicateBuilder<Prediction>()
                .Handle<OrleansMessageRejectionException>()
                .Handle<ConnectionFailedException>()
                .Handle<SiloUnavailableException>()
                .Handle<TimeoutException>(),
            MaxHedgedAttempts = 3,
            DelayGenerator = _ => ValueTask.FromResult(HedgeDelay(model)),
        })
        .Build();
}
