using Orleans.Runtime;
using OrleansML.Api.Models;
using OrleansML.Errors;
using OrleansML.Serving;

namespace OrleansML.Tests.Api;

/// <summary>
/// The hedging and retries of a prediction, driven by scripted calls in place of the cluster (the cluster-mode kill
/// test runs the same policy against real silos).
/// </summary>
public sealed class PredictionFailoverTests
{
    private static readonly Prediction Answer = new("m", 1, [], "silo-a");

    [Fact]
    public async Task A_burst_of_cluster_failures_longer_than_the_hedges_is_outlived_by_the_backoff()
    {
        var failover = new PredictionFailover();
        var calls = 0;
        var failing = 1 + PredictionFailover.MaxHedgedAttempts + 2;

        var prediction = await failover.ExecuteAsync("m", _ => Interlocked.Increment(ref calls) <= failing
            ? Task.FromException<Prediction>(new SiloUnavailableException("silo died"))
            : Task.FromResult(Answer), CancellationToken.None);

        Assert.Same(Answer, prediction);
        Assert.Equal(failing + 1, calls);
    }

    [Fact]
    public async Task A_cluster_that_keeps_failing_is_tried_a_bounded_number_of_times_and_its_error_surfaces()
    {
        var failover = new PredictionFailover();
        var calls = 0;

        await Assert.ThrowsAsync<SiloUnavailableException>(() => failover.ExecuteAsync("m", _ =>
        {
            Interlocked.Increment(ref calls);
            return Task.FromException<Prediction>(new SiloUnavailableException("no silo"));
        }, CancellationToken.None).AsTask());

        Assert.Equal((1 + PredictionFailover.MaxHedgedAttempts) * (1 + PredictionFailover.FailoverRetries), calls);
    }

    [Fact]
    public async Task A_refusal_of_the_request_itself_is_not_sent_again()
    {
        var failover = new PredictionFailover();
        var calls = 0;

        await Assert.ThrowsAsync<PlatformException>(() => failover.ExecuteAsync("m", _ =>
        {
            Interlocked.Increment(ref calls);
            return Task.FromException<Prediction>(PlatformException.NotFound("model 'm' not found."));
        }, CancellationToken.None).AsTask());

        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task A_request_that_waited_for_a_hedge_does_not_raise_the_hedge_delay_of_the_next()
    {
        // Every request's first call goes to a silo that never answers; its hedge answers at once. Requests measured
        // end to end would put the initial hedge delay into the window and triple it; the winning calls took no time.
        var failover = new PredictionFailover();
        var requests = Enumerable.Range(0, 2 * LatencyWindow.Refresh).Select(async _ =>
        {
            var calls = 0;
            var prediction = await failover.ExecuteAsync("m", async token =>
            {
                if (Interlocked.Increment(ref calls) == 1)
                {
                    await Task.Delay(Timeout.Infinite, token);
                }

                return Answer;
            }, CancellationToken.None);
            Assert.Equal(2, calls);
            return prediction;
        });

        Assert.All(await Task.WhenAll(requests), p => Assert.Same(Answer, p));
        Assert.Equal(PredictionFailover.MinHedgeDelay, failover.HedgeDelay("m"));
    }

    [Fact]
    public void A_lost_gateway_or_a_cluster_failure_unsettles_the_cluster_and_hedges_at_the_shortest_delay()
    {
        var failover = new PredictionFailover();
        Assert.False(failover.Unsettled);

        failover.NotifyGatewayCountChanged(4, 3, connectionRecovered: false);
        Assert.False(failover.Unsettled);

        failover.NotifyGatewayCountChanged(2, 3, connectionRecovered: false);
        Assert.True(failover.Unsettled);
        Assert.Equal(PredictionFailover.MinHedgeDelay, failover.HedgeDelay("never-called"));
    }

    [Fact]
    public async Task A_call_that_failed_with_the_cluster_unsettles_it()
    {
        var failover = new PredictionFailover();
        var calls = 0;

        await failover.ExecuteAsync("m", _ => Interlocked.Increment(ref calls) == 1
            ? Task.FromException<Prediction>(new SiloUnavailableException("silo died"))
            : Task.FromResult(Answer), CancellationToken.None);

        Assert.True(failover.Unsettled);
    }

    [Fact]
    public void Each_later_hedge_waits_twice_as_long_as_the_one_before_up_to_the_longest_delay()
    {
        var failover = new PredictionFailover();
        failover.NotifyGatewayCountChanged(2, 3, connectionRecovered: false);
        var shortest = PredictionFailover.MinHedgeDelay;

        Assert.Equal([shortest, shortest * 2, shortest * 4, shortest * 8, shortest * 16],
            Enumerable.Range(1, 5).Select(calls => failover.HedgeDelay("m", calls)));
        Assert.Equal(PredictionFailover.MaxHedgeDelay, failover.HedgeDelay("m", 6));
    }
}
