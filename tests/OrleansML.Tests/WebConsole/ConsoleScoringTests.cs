using System.Net.Http.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OrleansML.Tests.WebConsole;

/// <summary>Scoring from the console: start a job, follow its progress bar to the end, download the output.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleScoringTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task Start_a_scoring_job_watch_it_finish_and_download_the_scored_rows()
    {
        const string model = "console-scorer";
        const string dataset = "console-to-score";
        using var http = fixture.Client(fixture.Open);
        (await http.PostAsJsonAsync("api/models", new { name = model, architecture = new { type = "mlp", inputs = 2, hidden = new[] { 4 }, outputs = 2 }, seed = 1 })).EnsureSuccessStatusCode();
        using (var body = new StringContent("x1,x2,y\n1,2,0\n3,4,1\n5,6,0\n", System.Text.Encoding.UTF8, "text/csv"))
        {
            (await http.PostAsync($"api/datasets/{dataset}?label=y", body)).EnsureSuccessStatusCode();
        }

        await using var console = await fixture.OpenAsync(fixture.Open, "#/scoring");
        var page = console.Page;
        var form = page.GetByRole(AriaRole.Form, new() { Name = "Start a scoring job" });
        await form.GetByLabel("Model", new() { Exact = true }).SelectOptionAsync(model);
        await form.GetByLabel("Dataset", new() { Exact = true }).SelectOptionAsync(dataset);
        await form.GetByLabel("Output dataset").FillAsync($"{dataset}-out");
        await form.GetByRole(AriaRole.Button, new() { Name = "Start scoring" }).ClickAsync();

        await Expect(page.GetByTestId("scoring-state")).ToContainTextAsync("Succeeded · 1 of 1 partitions · 3 rows", new() { Timeout = 60_000 });
        await Expect(page.GetByRole(AriaRole.Progressbar, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Progress of scoring job ") })).ToHaveJSPropertyAsync("value", 1);
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Download CSV output of ") }).ClickAsync());
        Assert.Equal($"{dataset}-out.csv", download.SuggestedFilename);
        var csv = await File.ReadAllLinesAsync((await download.PathAsync())!);
        Assert.Equal(4, csv.Length);
        var stored = (await http.GetStringAsync($"api/datasets/{dataset}-out/content")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(stored.Select(l => l.TrimEnd('\r')), csv);
        console.AssertClean();
    }
}
