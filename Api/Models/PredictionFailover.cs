using System.Collections.Concurrent;
using OrleansML.Api.Http;
using OrleansML.Serving;
using Polly;
using Polly.Hedging;
using Polly.Retry;

namespace OrleansML.Api.Models;

/// <summary>
/// How one prediction survives a silo that dies under it (Polly's hedging and retry strategies, per model).
/// <list type="bullet">
/// <item>A call still unanswered after the model's recent p99 latency (times <see cref="HedgeFactor"/>, within
/// [<see cref="MinHedgeDelay"/>, <see cref="MaxHedgeDelay"/>]) is hedged: a second call goes out and the first
/// answer wins. So a request that met a silo as it was killed waits about as long as the model takes.</item>
/// <item>A call that fails with the cluster (a silo that died or left) is sent again at once, up to
/// <see cref="MaxHedgedAttempts"/> more calls; when every one of those failed, the whole set is tried again after a
/// short jittered backoff (<see cref="FailoverRetries"/> times from <see cref="FailoverBackoff"/>). A gateway keeps
/// forwarding messages to a dead silo for a moment after the kill, and calls sent in that moment all fail within
/// microseconds of each other: a backoff outlives the moment, a burst of immediate retries does not.</item>
/// <item>The cluster is <see cref="Unsettled"/> for <see cref="FailoverWindow"/> after a call failed with it or the
/// client lost a gateway connection (Orleans' <see cref="IClusterConnectionStatusObserver"/>): until membership
/// declares a killed silo dead, a survivor that places a grain it has not seen asks the dead silo's part of the grain
/// directory and stalls for up to a second in Orleans' retries. Meanwhile every call is hedged after
/// <see cref="MinHedgeDelay"/>, and <see cref="PredictorClient"/> keeps its predictor keys instead of moving to new
/// ones (new grain ids are what the survivors would have to place).</item>
/// <item>The latency that sets the hedge delay is the winning call's own, not the request's: a request that waited
/// for a hedge does not raise the delay of the next one (which would grow the delay towards its cap exactly while a
/// silo is dying).</item>
/// </list>
/// Predictions are idempotent, so a second call is safe.
/// </summary>
public sealed partial class PredictionFailover(TimeProvider time, ILogger<PredictionFailover>? logger = null) : IClusterConnectionStatusObserver
{
    public const double HedgeFactor = 3;

    public const int MaxHedgedAttempts = 5;

    public const int FailoverRetries = 4;

    public static readonly TimeSpan FailoverBackoff = TimeSpan.FromMilliseconds(25);

    public static readonly TimeSpan MinHedgeDelay = TimeSpan.FromMilliseconds(50);

    public static readonly TimeSpan MaxHedgeDelay = TimeSpan.FromSeconds(1);

    /// <summary>How long after a call failed with the cluster every call is hedged after <see cref="MinHedgeDelay"/>.</summary>
    public static readonly TimeSpan FailoverWindow = TimeSpan.FromSeconds(30);

    /// <summary>Before a model has a latency history: long enough for a cold load, short of the old 5 s stall.</summary>
    public static readonly TimeSpan InitialHedgeDelay = TimeSpan.FromMilliseconds(500);

    private readonly ConcurrentDictionary<string, LatencyWindow> _latencies = new();
    private readonly ConcurrentDictionary<string, ResiliencePipeline<Prediction>> _pipelines = new();
    private long _unsettledAt = long.MinValue;

    public PredictionFailover()
        : this(TimeProvider.System)
    {
    }

    /// <summary>Whether a call failed with the cluster, or a gateway connection was lost, within <see cref="FailoverWindow"/>.</summary>
    public bool Unsettled
    {
        get
        {
            var at = Volatile.Read(ref _unsettledAt);
            return at != long.MinValue && time.GetElapsedTime(at) < FailoverWindow;
        }
    }

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        if (currentNumberOfGateways < previousNumberOfGateways)
        {
            if (logger is not null)
            {
                LogGatewayLost(logger, previousNumberOfGateways, currentNumberOfGateways, FailoverWindow.TotalSeconds);
            }

            MarkUnsettled();
        }
    }

    public void NotifyClusterConnectionLost()
    {
        if (logger is not null)
        {
            LogClusterLost(logger);
        }

        MarkUnsettled();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost a gateway ({Previous} connected, now {Current}): predictions hedge after the shortest delay and keep their predictor keys for {Seconds} s")]
    private static partial void LogGatewayLost(ILogger logger, int previous, int current, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the connection to the cluster: no gateway is connected")]
    private static partial void LogClusterLost(ILogger logger);

    private void MarkUnsettled() => Volatile.Write(ref _unsettledAt, time.GetTimestamp());

    /// <summary>
    /// How long a request waits, once it has sent <paramref name="calls"/> calls (Polly's hedging attempt number: 1
    /// before the first hedge), before it sends the next: the model's hedge delay, doubled for each call after the
    /// first (at most <see cref="MaxHedgeDelay"/>, or the hedge delay itself when that is longer). The first hedge comes
    /// quickly; later ones are spread out, so a request whose calls all met a stalled silo still sends one after the
    /// stall has had time to clear.
    /// </summary>
    public TimeSpan HedgeDelay(string model, int calls)
    {
        var delay = HedgeDelay(model);
        var spread = delay * (1 << Math.Clamp(calls - 1, 0, MaxHedgedAttempts));
        return spread < MaxHedgeDelay ? spread : delay > MaxHedgeDelay ? delay : MaxHedgeDelay;
    }

    /// <summary>How long a call for <paramref name="model"/> may go unanswered before it is hedged.</summary>
    public TimeSpan HedgeDelay(string model)
    {
        if (Unsettled)
        {
            return MinHedgeDelay;
        }

        var p99 = _latencies.TryGetValue(model, out var window) ? window.P99Milliseconds : double.NaN;
        if (double.IsNaN(p99))
        {
            return InitialHedgeDelay;
        }

        var delay = TimeSpan.FromMilliseconds(p99 * HedgeFactor);
        return delay < MinHedgeDelay ? MinHedgeDelay : delay > MaxHedgeDelay ? MaxHedgeDelay : delay;
    }

    /// <summary>Runs <paramref name="call"/> (one call to the cluster) under the model's hedging and retries.</summary>
    public ValueTask<Prediction> ExecuteAsync(string model, Func<CancellationToken, Task<Prediction>> call, CancellationToken cancellationToken)
    {
        var pipeline = _pipelines.GetOrAdd(model, static (name, failover) => failover.Pipeline(name), this);
        var latencies = _latencies.GetOrAdd(model, static _ => new LatencyWindow());
        return pipeline.ExecuteAsync(async token =>
        {
            var started = time.GetTimestamp();
            try
            {
                var prediction = await call(token);
                latencies.Record(time.GetElapsedTime(started).TotalMilliseconds);
                return prediction;
            }
            catch (Exception exception) when (ApiErrors.IsClusterUnavailable(exception))
            {
                MarkUnsettled();
                throw;
            }
        }, cancellationToken);
    }

    private static readonly PredicateBuilder<Prediction> ClusterFailures = new PredicateBuilder<Prediction>().Handle<Exception>(ApiErrors.IsClusterUnavailable);

    private ResiliencePipeline<Prediction> Pipeline(string model) => new ResiliencePipelineBuilder<Prediction>()
        .AddRetry(new RetryStrategyOptions<Prediction>
        {
            ShouldHandle = ClusterFailures,
            MaxRetryAttempts = FailoverRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = FailoverBackoff,
        })
        .AddHedging(new HedgingStrategyOptions<Prediction>
        {
            ShouldHandle = ClusterFailures,
            MaxHedgedAttempts = MaxHedgedAttempts,
            DelayGenerator = args => ValueTask.FromResult(HedgeDelay(model, args.AttemptNumber)),
        })
        .Build();
}
