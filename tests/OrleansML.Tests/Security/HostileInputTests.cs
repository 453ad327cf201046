using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace OrleansML.Tests.Security;

/// <summary>
/// Sends the hostile-input corpus to every endpoint of a running API: each request must be refused with a 4xx in
/// its route's error shape (never a 5xx, and never a 2xx unless the corpus says why), and afterwards the models,
/// datasets, jobs, stored files and predictions must be exactly what they were.
/// </summary>
public sealed class HostileInputTests(HostileApiFixture api, ITestOutputHelper output) : IClassFixture<HostileApiFixture>
{
    private const int Concurrency = 8;

    private static readonly TimeSpan AnswerDeadline = TimeSpan.FromSeconds(30);

    /// <summary>Stands in for the job ids of the known state when only the corpus's shape matters.</summary>
    private static readonly KnownState Placeholder = new(new string('f', 32), new string('e', 32));

    [Fact]
    public void The_corpus_has_entries_for_every_route_and_method_and_probes_every_route_with_wrong_methods()
    {
        var corpus = HostileRequests.All(Placeholder);
        var inventory = api.Inventory;
        foreach (var (route, method) in inventory.Endpoints)
        {
            output.WriteLine($"{method,-7} {route}");
        }

        // The path check has teeth: a misspelt literal does not fit its route.
        Assert.False(EndpointInventory.PathFits(new HostileRequest("/api/models/{name}/predict", "POST", "typo", "/api/models/m/predcit")));
        Assert.Empty(corpus.Where(r => !inventory.Methods.ContainsKey(r.Route)).Select(r => $"no such route: {r}"));
        Assert.Empty(corpus.Where(r => !EndpointInventory.PathFits(r)).Select(r => $"path does not fit its route: {r}"));
        Assert.Empty(inventory.Endpoints
            .Where(e => !corpus.Any(r => r.Route == e.Route && (r.Method == e.Method || e.Method == EndpointInventory.AnyMethod)))
            .Select(e => $"no corpus entries for {e.Method} {e.Route}"));
        Assert.Empty(inventory.Methods
            .Where(m => !m.Value.Contains(EndpointInventory.AnyMethod) && !corpus.Any(r => r.Route == m.Key && !inventory.IsMapped(r)))
            .Select(m => $"no wrong-method probe for {m.Key}"));
        Assert.InRange(corpus.Count, 500, int.MaxValue);
    }

    [Fact]
    public async Task Every_malformed_request_is_refused_with_a_4xx_in_its_routes_error_shape_and_changes_nothing()
    {
        var state = await KnownState.CreateAsync(api.Client);
        var before = await state.CaptureAsync(api.Client, api.DataDirectory);
        var corpus = HostileRequests.All(state);

        var answers = new ConcurrentBag<Answer>();
        var clock = Stopwatch.StartNew();
        foreach (var batch in corpus.Chunk(Concurrency))
        {
            await Task.WhenAll(batch.Select(async request => answers.Add(await SendAsync(request))));
        }

        clock.Stop();
        Report(answers, clock.Elapsed);
        var wrong = answers.Where(a => a.Violation is not null).OrderBy(a => a.Request.Route).Select(a => $"{a.Request} → {a.Violation}").ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {corpus.Count} requests were answered wrongly:\n{string.Join('\n', wrong)}");

        var after = await state.CaptureAsync(api.Client, api.DataDirectory);
        output.WriteLine($"state compared before and after: {before.Count - 1} reads and predictions, {before["files"].Split('\n').Length} files in the data directory");
        Assert.Equal(before.Keys, after.Keys);
        foreach (var (read, value) in before)
        {
            Assert.True(value == after[read], $"{read} changed:\nbefore: {value}\nafter:  {after[read]}");
        }
    }

    private sealed record Answer(HostileRequest Request, int Status, string? Violation);

    private async Task<Answer> SendAsync(HostileRequest request)
    {
        using var timeout = new CancellationTokenSource(AnswerDeadline);
        try
        {
            using var message = request.Build();
            using var response = await api.Client.SendAsync(message, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            return new Answer(request, (int)response.StatusCode, Violation(request, response, body));
        }
        catch (Exception exception) when (exception is OperationCanceledException or HttpRequestException or InvalidOperationException)
        {
            return new Answer(request, 0, $"no answer: {exception.GetType().Name}: {exception.Message}");
        }
    }

    /// <summary>What is wrong with the answer to <paramref name="request"/>, or null when it is right.</summary>
    private static string? Violation(HostileRequest request, HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        return status switch
        {
            >= 200 and < 300 when request.Tolerated is not null => null,
            >= 200 and < 300 => $"{status} for a malformed request: {Short(body)}",
            >= 400 and < 500 => ShapeViolation(request, response, body),
            _ => $"{status}: {Short(body)}",
        };
    }

    /// <summary>
    /// A 4xx must say why in its route's shape: <c>{"error": "..."}</c> as JSON on the KServe (/v2) and TF Serving
    /// (/v1) protocols, RFC 7807 problem details with its status and a title or detail everywhere else.
    /// </summary>
    private static string? ShapeViolation(HostileRequest request, HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        if (request.OwnErrorBody is not null)
        {
            return body.Length > 0 ? null : $"{status} with an empty body";
        }

        var path = request.Path.Split('?', 2)[0];
        var protocol = path is "/v1" or "/v2" || path.StartsWith("/v1/", StringComparison.Ordinal) || path.StartsWith("/v2/", StringComparison.Ordinal);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var expected = protocol ? "application/json" : "application/problem+json";
        if (mediaType != expected)
        {
            return $"{status} as '{mediaType ?? "no content type"}', not {expected}: {Short(body)}";
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (protocol)
            {
                return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String && error.GetString()!.Length > 0
                    ? null
                    : $"{status} without a protocol error: {Short(body)}";
            }

            var statusMatches = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("status", out var problemStatus)
                && problemStatus.ValueKind == JsonValueKind.Number && problemStatus.GetInt32() == status;
            return statusMatches && (HasText(root, "title") || HasText(root, "detail")) ? null : $"{status} without a problem's status and title or detail: {Short(body)}";
        }
        catch (JsonException)
        {
            return $"{status} with a body that is not JSON: {Short(body)}";
        }
    }

    private static bool HasText(JsonElement problem, string property) =>
        problem.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0;

    private void Report(IReadOnlyCollection<Answer> answers, TimeSpan elapsed)
    {
        output.WriteLine($"{answers.Count} requests in {elapsed.TotalSeconds:0.0} s, {Concurrency} at a time");
        output.WriteLine($"statuses: {Histogram(answers)}");
        foreach (var tolerated in answers.Where(a => a.Request.Tolerated is not null).GroupBy(a => a.Request.Tolerated))
        {
            output.WriteLine($"2xx allowed for {tolerated.Count()} ({Histogram(tolerated)}): {tolerated.Key}");
        }

        var inventory = api.Inventory;
        foreach (var endpoint in answers.GroupBy(a => inventory.IsMapped(a.Request) ? $"{a.Request.Method} {a.Request.Route}" : $"{a.Request.Route} (wrong methods)").OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{endpoint.Count(),5}  {endpoint.Key}: {Histogram(endpoint)}");
        }
    }

    private static string Histogram(IEnumerable<Answer> answers) =>
        string.Join(", ", answers.GroupBy(a => a.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"));

    private static string Short(string text) => text.Length > 300 ? text[..300] + "..." : text;
}
