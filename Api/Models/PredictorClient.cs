using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using OrleansML.Serving;
using Polly;
using Polly.Retry;

namespace OrleansML.Api.Models;

/// <summary>
/// Sends predictions to the cluster. An Orleans client routes all calls for one grain id through one gateway, so
/// requests are spread over <see cref="Spread"/> predictor keys (<c>model/0</c> .. <c>model/15</c>) and with them
/// over every silo's gateway and replicas. Predictions are idempotent, so a call lost with a dying silo is retried
/// (Polly: three tries, jittered exponential backoff from 50 ms).
/// </summary>
public sealed class PredictorClient(IGrainFactory grains)
{
    public const int Spread = 16;

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
        await Retry.ExecuteAsync(async _ =>
        {
            var shard = (uint)Interlocked.Increment(ref _next) % Spread;
            return await grains.GetGrain<IPredictorGrain>($"{model}/{shard}").PredictAsync(request);
        }, cancellationToken);
}
