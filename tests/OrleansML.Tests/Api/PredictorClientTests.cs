using OrleansML.Api.Models;

namespace OrleansML.Tests.Api;

public sealed class PredictorClientTests
{
    [Fact]
    public void The_latency_window_reports_the_99th_percentile_of_its_recent_samples()
    {
        var window = new LatencyWindow();
        Assert.True(double.IsNaN(window.P99Milliseconds));

        for (var i = 1; i <= LatencyWindow.Size; i++)
        {
            window.Record(i);
        }

        Assert.Equal(254, window.P99Milliseconds);

        // The ring keeps only the last Size samples: after a slow spell ends, the percentile comes back down.
        for (var i = 0; i < LatencyWindow.Size; i++)
        {
            window.Record(2);
        }

        Assert.Equal(2, window.P99Milliseconds);
    }

    [Fact]
    public void A_model_without_history_hedges_after_the_initial_delay()
    {
        Assert.Equal(PredictionFailover.InitialHedgeDelay, new PredictionFailover().HedgeDelay("never-called"));
    }

    [Fact]
    public void Keys_move_to_a_new_window_as_time_passes_but_not_while_a_lost_silo_is_unsettled()
    {
        var time = new ManualTime();
        var failover = new PredictionFailover(time);
        var client = new PredictorClient(null!, failover, time);
        static string Window(string key) => key.Split('/')[1];

        var first = client.NextKey("m");
        Assert.StartsWith("m/", first);
        Assert.Equal(PredictorClient.Spread, Enumerable.Range(0, PredictorClient.Spread).Select(_ => client.NextKey("m")).Distinct().Count());

        time.Advance(PredictorClient.KeyWindow);
        var second = Window(client.NextKey("m"));
        Assert.NotEqual(Window(first), second);

        // The client lost a gateway: the survivors would have to place every new key while the dead silo still owns
        // part of the directory, so the keys stay until the failover window has passed.
        failover.NotifyGatewayCountChanged(2, 3, connectionRecovered: false);
        time.Advance(PredictorClient.KeyWindow * 2);
        Assert.Equal(second, Window(client.NextKey("m")));

        time.Advance(PredictionFailover.FailoverWindow);
        Assert.NotEqual(second, Window(client.NextKey("m")));
    }

    /// <summary>A clock the test moves.</summary>
    private sealed class ManualTime : TimeProvider
    {
        private TimeSpan _now = TimeSpan.FromDays(20_000);

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => DateTimeOffset.UnixEpoch + _now;

        public override long GetTimestamp() => _now.Ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    }
}
