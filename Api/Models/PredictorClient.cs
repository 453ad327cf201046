using OrleansML.Serving;

namespace OrleansML.Api.Models;

/// <summary>
/// Sends predictions to the cluster. An Orleans client routes every call for one grain id through one gateway, so
/// requests go to <see cref="Spread"/> predictor keys that change every <see cref="KeyWindow"/>
/// (<c>model/window/shard</c>): the calls spread over all gateways, and a silo that joins (or a gateway that is
/// dropped) is in the rotation within seconds. While the cluster is <see cref="PredictionFailover.Unsettled"/> (a silo
/// lost) the keys stay those of the last window. Every call, a hedge or a retry included, takes the next key, and
/// <see cref="PredictionFailover"/> decides when to send one.
/// An Api that hosts the silo itself (embedded mode) has <paramref name="local"/> and serves from that silo's
/// replicas directly: there is no other silo to spread over or fail over to, and a stateless worker called from its
/// own silo runs there anyway.
/// </summary>
public sealed class PredictorClient(IGrainFactory grains, PredictionFailover failover, TimeProvider time, LocalPredictor? local = null)
{
    public const int Spread = 16;

    public static readonly TimeSpan KeyWindow = TimeSpan.FromSeconds(5);

    /// <summary>The whole request, every attempt included.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private int _next;
    private long _window = -1;

    /// <summary>The predictor key of the next call for <paramref name="model"/>: <c>model/window/shard</c>.</summary>
    public string NextKey(string model)
    {
        if (!failover.Unsettled || Volatile.Read(ref _window) < 0)
        {
            Volatile.Write(ref _window, time.GetUtcNow().ToUnixTimeMilliseconds() / (long)KeyWindow.TotalMilliseconds);
        }

        var shard = (uint)Interlocked.Increment(ref _next) % Spread;
        return $"{model}/{Volatile.Read(ref _window)}/{shard}";
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

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            return await failover.ExecuteAsync(model,
                token => grains.GetGrain<IPredictorGrain>(NextKey(model)).PredictAsync(request).WaitAsync(token), timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Unanswered(model);
        }
    }

    private static TimeoutException Unanswered(string model) =>
        new($"no silo answered the prediction for model '{model}' within {RequestTimeout.TotalSeconds:0} s.");
}
