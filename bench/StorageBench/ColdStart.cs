using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OrleansML.Bench;

/// <summary>
/// Time to first prediction of a ~500 MB model on a fresh silo. <see cref="CreateAsync"/>: one Api process (embedded,
/// file store) creates the model through POST /api/models (the platform draws the weights, saves them and writes them
/// to the store) and is stopped. <see cref="RunAsync"/>: a fresh Api process on a copy of that data directory, with a
/// store that holds the same artifact under the same key, is timed from process start to /health/ready, and its first
/// predict request (artifact read from the store, SHA-256 check, model built) to its first successful answer. Its peak RSS (VmHWM) is
/// read after that answer.
/// </summary>
public static class ColdStart
{
    /// <summary>mlp 1024 → 10240 → 10240 → 1024 → 10: 125,860,874 float parameters, about 503 MB of weights.</summary>
    private static readonly object Architecture = new { type = "mlp", inputs = 1024, hidden = new[] { 10240, 10240, 1024 }, outputs = 10 };

    /// <summary>Creates the model through one Api process and stops it; its data directory and store then hold it.</summary>
    public static async Task<int> CreateAsync(string dll, string dataDirectory, string model, string[] settings)
    {
        await using var creator = ApiProcess.Start(dll, dataDirectory, settings);
        await creator.WaitReadyAsync();
        var clock = Stopwatch.StartNew();
        using var created = await creator.Http.PostAsJsonAsync("api/models", new { name = model, architecture = Architecture, seed = 1 });
        // On a loaded machine the creation can outlast Orleans' 30 s response timeout: the Api answers 503 while
        // the model grain carries on, so the version is waited for (and the row says so).
        var timedOut = created.StatusCode == HttpStatusCode.ServiceUnavailable;
        if (!created.IsSuccessStatusCode && !timedOut)
        {
            Console.Error.WriteLine($"POST /api/models answered {(int)created.StatusCode}: {await created.Content.ReadAsStringAsync()}");
            return 1;
        }

        var size = await WaitForVersionAsync(creator.Http, model);
        new Measurement(StoreName(settings), "create", size, clock.Elapsed.TotalSeconds,
            Note: timedOut ? "POST answered 503 (Orleans response timeout); timed until the version was Available" : null).Print();
        return 0;
    }

    /// <summary>Times a fresh Api process on a data directory and store that hold the model, to its first prediction.</summary>
    public static async Task<int> RunAsync(string dll, string dataDirectory, string model, string[] settings)
    {
        var store = StoreName(settings);
        var body = JsonContent.Create(new { inputs = new[] { Enumerable.Repeat(1.0f, 1024).ToArray() } });
        await body.LoadIntoBufferAsync();
        var total = Stopwatch.StartNew();
        await using var fresh = ApiProcess.Start(dll, dataDirectory, settings);
        await fresh.WaitReadyAsync();
        var ready = total.Elapsed.TotalSeconds;
        var predict = Stopwatch.StartNew();
        var unavailable = 0;
        var answer = await fresh.Http.PostAsync($"api/models/{model}/predict", body);
        // The Api gives up on a prediction after 30 s (503) while the replica's load carries on; a slow store on a
        // loaded machine takes longer than that, so the request is sent again (it joins the same load) until it answers.
        while (answer.StatusCode == HttpStatusCode.ServiceUnavailable && predict.Elapsed < TimeSpan.FromMinutes(10))
        {
            unavailable++;
            answer.Dispose();
            answer = await fresh.Http.PostAsync($"api/models/{model}/predict", body);
        }

        using var _ = answer;
        var predictSeconds = predict.Elapsed.TotalSeconds;
        var totalSeconds = total.Elapsed.TotalSeconds;
        if (!answer.IsSuccessStatusCode)
        {
            Console.Error.WriteLine($"{store}: the first prediction answered {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
            return 1;
        }

        var outputs = (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outputs");
        if (outputs[0].GetArrayLength() != 10)
        {
            Console.Error.WriteLine($"{store}: the prediction has {outputs[0].GetArrayLength()} outputs, not 10.");
            return 1;
        }

        var version = await fresh.Http.GetFromJsonAsync<JsonElement>($"api/models/{model}/versions/1");
        new Measurement(store, "first-prediction", version.GetProperty("sizeBytes").GetInt64(), totalSeconds, fresh.PeakRssKb(), ready, predictSeconds,
            unavailable > 0 ? $"the predict request answered 503 (30 s timeout) {unavailable} time(s) before it answered 200" : null).Print();
        return 0;
    }

    /// <summary>Polls the version (every 200 ms, for at most 10 minutes) until it is available; returns its size in bytes.</summary>
    private static async Task<long> WaitForVersionAsync(HttpClient http, string model)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(10))
        {
            using var answer = await http.GetAsync($"api/models/{model}/versions/1");
            if (answer.IsSuccessStatusCode)
            {
                var version = await answer.Content.ReadFromJsonAsync<JsonElement>();
                switch (version.GetProperty("state").GetString())
                {
                    case "Available":
                        return version.GetProperty("sizeBytes").GetInt64();
                    case "Failed":
                        throw new InvalidOperationException($"version 1 of '{model}' failed: {version.GetProperty("failureReason")}");
                }
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"version 1 of '{model}' did not appear within 10 minutes.");
    }

    private static string StoreName(string[] settings)
    {
        var index = Array.IndexOf(settings, "--OrleansML:Storage:Artifacts:Kind");
        return index >= 0 && index + 1 < settings.Length ? settings[index + 1] : "File";
    }
}
