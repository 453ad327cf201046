using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OrleansML.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OrleansML.Tests.WebConsole;

/// <summary>What a new user does in the console of an API running open, in a real browser against a real Api.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleWalkthroughTests(ConsoleFixture fixture)
{
    private static readonly TimeSpan Training = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Upload_the_fixture_predict_in_try_it_and_label_it_stable()
    {
        const string model = "console-l1000";
        await using var console = await fixture.OpenAsync(fixture.Open);
        var page = console.Page;
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("This API runs without authentication");

        await page.GetByRole(AriaRole.Link, new() { Name = "Models", Exact = true }).ClickAsync();
        var upload = page.GetByRole(AriaRole.Form, new() { Name = "Upload a model" });
        await upload.GetByLabel("Model name").FillAsync(model);
        await upload.GetByLabel("Artifact file").SetInputFilesAsync(Fixtures.L1000);
        await upload.GetByRole(AriaRole.Button, new() { Name = "Upload model" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Model {model}" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = $"Versions of {model}" })).ToContainTextAsync("FP32[-1, 1000]");

        var tryIt = page.GetByRole(AriaRole.Form, new() { Name = $"Try {model}" });
        await tryIt.GetByLabel("Rows as").SelectOptionAsync("csv");
        await tryIt.GetByLabel("input (FP32, shape [-1, 1000])").FillAsync(string.Join(", ", Enumerable.Repeat("1", 1000)));
        await tryIt.GetByRole(AriaRole.Button, new() { Name = "Predict" }).ClickAsync();
        await Expect(page.GetByTestId("prediction-meta")).ToContainTextAsync(new Regex(@"Answered by version 1 on silo \S+ in [\d.]+ ms"));
        var outputs = JsonSerializer.Deserialize<double[]>((await page.GetByTestId("output-output-0").TextContentAsync())!)!;
        Fixtures.AssertClose(Fixtures.L1000OnesOutput, outputs);
        await console.ScreenshotAsync("try-it");

        var label = page.GetByRole(AriaRole.Form, new() { Name = "Set a label" });
        await label.GetByLabel("Label").FillAsync("stable");
        await label.GetByLabel("Version").SelectOptionAsync("1");
        await label.GetByRole(AriaRole.Button, new() { Name = "Set label" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Labels" })).ToContainTextAsync("stable");

        using var http = fixture.Client(fixture.Open);
        var stored = await http.GetFromJsonAsync<JsonElement>($"api/models/{model}");
        Assert.Equal(1, stored.GetProperty("labels").GetProperty("stable").GetInt32());
        await console.ScreenshotAsync("model");
        console.AssertClean();
    }

    [Fact]
    public async Task Upload_optdigits_train_it_from_the_form_and_see_the_new_version()
    {
        const string dataset = "console-digits";
        const string model = "console-digits-mlp";
        await using var console = await fixture.OpenAsync(fixture.Open, "#/datasets");
        var page = console.Page;

        var upload = page.GetByRole(AriaRole.Form, new() { Name = "Upload a dataset" });
        await upload.GetByLabel("Dataset name").FillAsync(dataset);
        await upload.GetByLabel("Label column").FillAsync("Class");
        await upload.GetByLabel("CSV file").SetInputFilesAsync(Fixtures.OptDigitsTrain);
        await upload.GetByRole(AriaRole.Button, new() { Name = "Upload dataset" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Dataset {dataset}" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Columns (64 features)" })).ToBeVisibleAsync();
        await Expect(page.GetByText("0, 1, 2, 3, 4, 5, 6, 7, 8, 9")).ToBeVisibleAsync();
        var firstRows = page.GetByRole(AriaRole.Table, new() { Name = $"First 10 rows of {dataset}" });
        await Expect(firstRows.Locator("tbody tr")).ToHaveCountAsync(10);
        await console.ScreenshotAsync("dataset");

        await page.GetByRole(AriaRole.Link, new() { Name = "Train a model on it" }).ClickAsync();
        var form = page.GetByRole(AriaRole.Form, new() { Name = "Start a training job" });
        await Expect(form.GetByLabel("Dataset")).ToHaveValueAsync(dataset);
        await Expect(form.GetByTestId("dataset-columns")).ToContainTextAsync("64 feature columns");
        await Expect(form.GetByLabel("Inputs")).ToHaveValueAsync("64");
        await Expect(form.GetByLabel("Outputs")).ToHaveValueAsync("10");
        await form.GetByLabel("Model name").FillAsync(model);
        await form.GetByLabel("Hidden layers").FillAsync("32");
        await form.GetByLabel("Epochs").FillAsync("3");
        await form.GetByLabel("Batch size").FillAsync("128");
        await form.GetByRole(AriaRole.Button, new() { Name = "Start training" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("^Training job ") })).ToBeVisibleAsync();
        var chart = page.GetByRole(AriaRole.Img, new() { NameRegex = new Regex("Loss and validation accuracy per epoch") });
        await Expect(chart).ToHaveAttributeAsync("aria-label", new Regex("3 of 3 epochs"), new() { Timeout = (float)Training.TotalMilliseconds });
        await Expect(page.GetByTestId("job-summary")).ToContainTextAsync("Succeeded", new() { Timeout = (float)Training.TotalMilliseconds });
        Assert.Equal(3, await page.EvaluateAsync<int>("() => Chart.getChart(document.querySelector('canvas')).data.labels.length"));
        Assert.Equal(3, await page.EvaluateAsync<int>("() => Chart.getChart(document.querySelector('canvas')).data.datasets[2].data.filter(v => v > 0).length"));
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Workers per silo" })).ToBeVisibleAsync();
        await console.ScreenshotAsync("training");

        await page.GetByRole(AriaRole.Link, new() { Name = $"{model} version 1" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Model {model}" })).ToBeVisibleAsync();
        var versions = page.GetByRole(AriaRole.Table, new() { Name = $"Versions of {model}" });
        await Expect(versions).ToContainTextAsync("training:");
        await Expect(versions).ToContainTextAsync("Native");
        console.AssertClean();
    }

    [Fact]
    public async Task The_overview_shows_the_silo_the_loaded_version_and_live_serving_figures()
    {
        const string model = "console-overview";
        using var http = fixture.Client(fixture.Open);
        await Upload(http, model);
        var ones = new { inputs = Enumerable.Repeat(1.0, 1000).ToArray() };
        for (var i = 0; i < 5; i++)
        {
            (await http.PostAsJsonAsync($"api/models/{model}/predict", ones)).EnsureSuccessStatusCode();
        }

        await using var console = await fixture.OpenAsync(fixture.Open, "#/overview");
        var page = console.Page;
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "1 silo(s)" })).ToContainTextAsync($"{model} v1 on cpu");
        var row = page.GetByRole(AriaRole.Table, new() { Name = "Per model, over the last interval" }).GetByRole(AriaRole.Row).Filter(new() { HasText = model });
        await Expect(row.GetByRole(AriaRole.Cell).Nth(3)).ToHaveTextAsync("5");

        // Traffic while the page reads the statistics twice: the interval between two reads has a rate and a p99.
        using var traffic = new CancellationTokenSource();
        var sender = Task.Run(async () =>
        {
            while (!traffic.IsCancellationRequested)
            {
                (await http.PostAsJsonAsync($"api/models/{model}/predict", ones)).EnsureSuccessStatusCode();
                await Task.Delay(20); // pacing the traffic, not waiting for anything
            }
        });
        await Expect(row.GetByRole(AriaRole.Cell).Nth(1)).ToHaveTextAsync(new Regex(@"^(?!0\.0$)\d+\.\d$"));
        await Expect(row.GetByRole(AriaRole.Cell).Nth(2)).ToHaveTextAsync(new Regex(@"^\d+\.\d\d ms$"));
        traffic.Cancel();
        await sender;
        await console.ScreenshotAsync("overview");
        console.AssertClean();
    }

    internal static async Task Upload(HttpClient http, string model)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(await File.ReadAllBytesAsync(Fixtures.L1000)), "artifact", "model.pt" } };
        (await http.PostAsync($"api/models/{model}/versions", form)).EnsureSuccessStatusCode();
    }
}
