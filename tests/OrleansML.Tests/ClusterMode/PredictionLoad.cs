using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace OrleansML.Tests.ClusterMode;

/// <summary>A steady REST predict load on one model: several callers in a loop, each result recorded with its time.</summary>
public sealed class PredictionLoad : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _callers;

    public PredictionLoad(HttpClient api, string model, int callers = 8)
    {
        _callers = Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var at = Clock.Elapsed;
                try
                {
                    using var response = await api.PostAsJsonAsync($"api/models/{model}/predict", new { inputs = new[] { new[] { 1.0, 2, 3, 4 } } });
                    var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                    Results.Add(new(at, response.IsSuccessStatusCode, response.IsSuccessStatusCode ? body.GetProperty("silo").GetString() : $"{(int)response.StatusCode}", Clock.Elapsed - at,
                        response.IsSuccessStatusCode ? null : body.ToString()));
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException)
                {
                    Results.Add(new(at, false, exception.GetType().Name, Clock.Elapsed - at));
                }
            }
        })).ToArray();
    }

    public Stopwatch Clock { get; } = Stopwatch.StartNew();

    public ConcurrentBag<Outcome> Results { get; } = [];

    /// <summary>Waits until <paramref name="count"/> more requests have completed after now (deadline 60 s).</summary>
    public async Task WaitForMoreAsync(int count)
    {
        var target = Results.Count + count;
        var deadline = Stopwatch.StartNew();
        while (Results.Count < target)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), $"only {Results.Count} of {target} requests completed");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await Task.WhenAll(_callers);
    }

    /// <summary>One request: when it started, whether it succeeded, the silo that answered or the error, how long it took, and the body of a refusal.</summary>
    public sealed record Outcome(TimeSpan At, bool Succeeded, string? SiloOrError, TimeSpan Duration, string? Detail = null);
}
