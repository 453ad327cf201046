using OrleansML.Serving;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Serving.Rollouts;

/// <summary>
/// Concurrent unaddressed predictions (no version, no label) against one model until disposed, spread over the
/// gateways, so a rollout has live traffic to judge. Calls that fail while a silo dies are counted and retried.
/// </summary>
public sealed class SteadyLoad : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _workers;
    private long _served;
    private long _failed;

    public SteadyLoad(IGrainFactory grains, string model, int width, int workers = 4)
    {
        var request = TestTensors.Request(TestTensors.Fp32([1, width], Enumerable.Repeat(0.5, width).ToArray()));
        _workers = Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            var predictor = grains.GetGrain<IPredictorGrain>($"{model}/{worker}");
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    await predictor.PredictAsync(request);
                    Interlocked.Increment(ref _served);
                }
                catch (Exception)
                {
                    // A gateway or replica lost with a dying silo: the next call goes elsewhere.
                    Interlocked.Increment(ref _failed);
                }
            }
        })).ToArray();
    }

    public long Served => Interlocked.Read(ref _served);

    public long Failed => Interlocked.Read(ref _failed);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
        _stop.Dispose();
    }
}
