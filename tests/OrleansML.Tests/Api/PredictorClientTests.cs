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
        var client = new PredictorClient(null!);

        Assert.Equal(PredictionFailover.InitialHedgeDelay, client.HedgeDelay("never-called"));
    }
}
