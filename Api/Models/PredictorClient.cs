using OrleansML.Serving;

namespace OrleansML.Api.Models;

/// <summary>
/// Sends predictions to the cluster. An Orleans client routes every call for one grain id through one gateway, so
/// requests go to <see cref="Spread"/> predictor keys that change every <see cref="KeyWindow"/>
/// (<c>model/window/shard</c>): the calls spread over all gateways, and a silo that joins (or a gateway that is
/// dropped) is in the rotation within seconds. Every call, a hedge or a retry included, takes the next key, and
/// <see cref="PredictionFailover"/> decides when to send one.
/// An Api that hosts the silo itself (embedded mode) has <paramref name="local"/> and serves from that silo's
/// replicas directly: there is no other silo to spread over or fail over to, and a stateless worker called from its
/// own silo runs there anyway.
/// </summary>
public sealed class PredictorClient(IGrainFactory grains, LocalPredictor? local = null)
{
    public const int Spread = 16;

    public static readonly TimeSpan KeyWindow = TimeSpan.FromSeconds(5);

    /// <summary>The whole request, every attempt included.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly PredictionFailover _failover = new();
    private int _next;

    /// <summary>How long a call for <paramref name="model"/> may go unanswered before it is hedged.</summary>
    public TimeSpan HedgeDelay(string model) => _failover.HedgeDelay(model);

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

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            return await _failover.ExecuteAsync(model, token =>
            {
                var window = Environment.TickCount64 / (long)KeyWindow.TotalMilliseconds;
                var shard = (uint)Interlocked.Increment(ref _next) % Spread;
                return grains.GetGrain<IPredictorGrain>($"{model}/{window}/{shard}").PredictAsync(request).WaitAsync(token);
            }, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Unanswered(model);
        }
    }

    private static TimeoutException Unanswered(string model) =>
        new($"no silo answered the prediction for model '{model}' within {RequestTimeout.TotalSeconds:0} s.");
}
