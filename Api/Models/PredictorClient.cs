using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using OrleansML.Serving;
using Polly;
using Polly.Retry;

namespace OrleansML.Api.Models;

/// <summary>
/// Sends predictions to the cluster. An Orleans client routes every call for one grain id through one gateway, so
/// requests go to <see cref="Spread"/> predictor keys that change every <see cref="KeyWindow"/>
/// (<c>model/window/shard</c>): the calls spread over all gateways, and a silo that joins (or a gateway that is
/// dropped) is in the rotation within seconds. Predictions are idempotent, so an attempt that fails with the
/// cluster, or gets no answer within <see cref="AttemptTimeout"/> (a silo killed mid-call), is retried on a new
/// key: Polly, three retries with jittered exponential backoff from 50 ms.
/// </summary>
public sealed class PredictorClient(IGrainFactory grains)
{
    public const int Spread = 16;

    public static readonly TimeSpan KeyWindow = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(5);

    private static readonly ResiliencePipeline Retry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder()
                .Handle<OrleansMessageRejectionException>()
                .Handle<ConnectionFailedException>()
                .Handle<TimeoutException>(),
            MaxRetryAttempts = 3,
            Delay = TimeSpan.FromMilliseconds(50),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
        })
        .Build();

    private int _next;

    public async Task<Prediction> PredictAsync(string model, PredictionRequest request, CancellationToken cancellationToken) =>
        await Retry.ExecuteAsync(async token =>
        {
            var window = Environment.TickCount64 / (long)KeyWindow.TotalMilliseconds;
            var shard = (uint)Interlocked.Increment(ref _next) % Spread;
            return await grains.GetGrain<IPredictorGrain>($"{model}/{window}/{shard}").PredictAsync(request).WaitAsync(AttemptTimeout, token);
        }, cancellationToken);
}
