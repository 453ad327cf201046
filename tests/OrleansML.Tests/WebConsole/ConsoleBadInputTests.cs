using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using OrleansML.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OrleansML.Tests.WebConsole;

/// <summary>Bad input through the console shows the API's own message beside the field it is about, and changes nothing.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleBadInputTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task A_non_numeric_cell_in_try_it_shows_the_apis_message_beside_the_input()
    {
        const string model = "console-bad-cell";
        using var http = fixture.Client(fixture.Open);
        await ConsoleWalkthroughTests.Upload(http, model);
        var before = await http.GetStringAsync($"api/models/{model}");

        await using var console = await fixture.OpenAsync(fixture.Open, $"#/models/{model}");
        var tryIt = console.Page.GetByRole(AriaRole.Form, new() { Name = $"Try {model}" });
        await tryIt.GetByLabel("Rows as").SelectOptionAsync("csv");
        var input = tryIt.GetByLabel("input (FP32, shape [-1, 1000])");
        await input.FillAsync(string.Join(", ", Enumerable.Repeat("1", 999).Append("abc")));
        await tryIt.GetByRole(AriaRole.Button, new() { Name = "Predict" }).ClickAsync();

        var error = tryIt.Locator(".field", new() { Has = console.Page.GetByLabel("input (FP32, shape [-1, 1000])") }).GetByRole(AriaRole.Alert);
        await Expect(error).ToHaveTextAsync("inputs[0][999] is the string \"abc\"; only finite numbers are accepted.");
        await Expect(input).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(console.Page.GetByTestId("prediction-meta")).ToHaveCountAsync(0);
        await console.ScreenshotAsync("bad-cell");
        Assert.Equal(before, await http.GetStringAsync($"api/models/{model}"));
        console.AssertClean();
    }

    [Fact]
    public async Task A_csv_without_the_label_column_shows_the_apis_message_beside_the_label_field_and_stores_nothing()
    {
        const string dataset = "console-no-label";
        using var temp = new TempDirectory();
        var csv = Path.Combine(temp.Path, "no-label.csv");
        await File.WriteAllTextAsync(csv, "a,b\n1,2\n3,4\n");
        await using var console = await fixture.OpenAsync(fixture.Open, "#/datasets");
        var upload = console.Page.GetByRole(AriaRole.Form, new() { Name = "Upload a dataset" });
        await upload.GetByLabel("Dataset name").FillAsync(dataset);
        var label = upload.GetByLabel("Label column");
        await label.FillAsync("Class");
        await upload.GetByLabel("CSV file").SetInputFilesAsync(csv);
        await upload.GetByRole(AriaRole.Button, new() { Name = "Upload dataset" }).ClickAsync();

        await Expect(upload.Locator(".field", new() { Has = console.Page.GetByLabel("Label column") }).GetByRole(AriaRole.Alert))
            .ToHaveTextAsync("label column 'Class' is not in the header; columns: a, b.");
        await Expect(console.Page.GetByRole(AriaRole.Heading, new() { Name = "Datasets" })).ToBeVisibleAsync();
        using var http = fixture.Client(fixture.Open);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"api/datasets/{dataset}")).StatusCode);
        console.AssertClean();
    }

    [Fact]
    public async Task A_job_with_zero_epochs_shows_the_apis_message_beside_epochs_and_starts_nothing()
    {
        const string dataset = "console-epochs";
        const string model = "console-zero-epochs";
        using var http = fixture.Client(fixture.Open);
        using (var body = new StringContent("x1,x2,y\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n", System.Text.Encoding.UTF8, "text/csv"))
        {
            (await http.PostAsync($"api/datasets/{dataset}?label=y", body)).EnsureSuccessStatusCode();
        }

        await using var console = await fixture.OpenAsync(fixture.Open, $"#/training?dataset={dataset}");
        var form = console.Page.GetByRole(AriaRole.Form, new() { Name = "Start a training job" });
        await form.GetByLabel("Model name").FillAsync(model);
        var epochs = form.GetByLabel("Epochs");
        await epochs.FillAsync("0");
        await form.GetByRole(AriaRole.Button, new() { Name = "Start training" }).ClickAsync();

        await Expect(form.Locator(".field", new() { Has = console.Page.GetByLabel("Epochs") }).GetByRole(AriaRole.Alert)).ToHaveTextAsync("epochs must be at least 1 (got 0).");
        await Expect(epochs).ToHaveAttributeAsync("aria-invalid", "true");
        await console.ScreenshotAsync("zero-epochs");
        var jobs = await http.GetFromJsonAsync<JsonElement>($"api/training/jobs?model={model}");
        Assert.Equal(0, jobs.GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"api/models/{model}")).StatusCode);
        console.AssertClean();
    }
}
