using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using OrleansML.Errors;
using OrleansML.Serving;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Serving;

[Collection(ClusterCollection.Name)]
public sealed class ServingMetricsTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Requests_failures_durations_and_batch_sizes_are_recorded_per_model_and_version()
    {
        var measurements = new ConcurrentBag<(string Instrument, double Value, string? Model)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ServingMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? model = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "model")
                {
                    model = tag.Value as string;
                }
            }

            measurements.Add((instrument.Name, value, model));
        }

        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<int>((i, v, t, _) => Record(i, v, t));
        listener.Start();

        await fixture.Client.GetGrain<IModelGrain>("metered").CreateAsync(new ArchitectureSpec("mlp", 4, [8], 2), seed: 1);
        var predictor = fixture.Client.GetGrain<IPredictorGrain>("metered");
        await predictor.PredictAsync(TestTensors.Request(TestTensors.Fp32([1, 4], [1, 2, 3, 4])));
        await Assert.ThrowsAsync<PlatformException>(() =>
            predictor.PredictAsync(TestTensors.Request(TestTensors.Fp32([1, 3], [1, 2, 3]))));
        listener.RecordObservableInstruments();

        var mine = measurements.Where(m => m.Model == "metered").ToList();
        Assert.Contains(mine, m => m.Instrument == "orleansml.serving.requests" && m.Value == 1);
        Assert.Contains(mine, m => m.Instrument == "orleansml.serving.failures" && m.Value == 1);
        Assert.Contains(mine, m => m.Instrument == "orleansml.serving.request.duration" && m.Value > 0);
        Assert.Contains(mine, m => m.Instrument == "orleansml.serving.batch.size" && m.Value >= 1);
        Assert.Contains(measurements, m => m.Instrument == "orleansml.serving.loaded_models" && m.Value >= 1);
    }
}
