using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using OrleansML.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OrleansML.Tests.WebConsole;

/// <summary>Every page passes axe-core's WCAG 2 A/AA rules (every control has a name), works from the keyboard and fits a narrow window.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleAccessibilityTests(ConsoleFixture fixture)
{
    private const string Model = "console-a11y";
    private const string Dataset = "console-a11y-data";

    public static TheoryData<string, string> Pages => new()
    {
        { "#/overview", "Overview" },
        { "#/models", "Models" },
        { $"#/models/{Model}", $"Model {Model}" },
        { "#/datasets", "Datasets" },
        { $"#/datasets/{Dataset}", $"Dataset {Dataset}" },
        { "#/training", "Training" },
        { "#/scoring", "Scoring" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Every_page_passes_axe_core_and_names_every_control(string hash, string heading)
    {
        await EnsureStateAsync();
        await using var console = await fixture.OpenAsync(fixture.Open, hash);
        await Expect(console.Page.GetByRole(AriaRole.Heading, new() { Name = heading, Exact = true })).ToBeVisibleAsync();

        var result = await console.Page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
        Assert.True(result.Violations.Length == 0, string.Join("\n", result.Violations.Select(v =>
            $"{v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Html))}")));

        console.AssertClean();
    }

    [Fact]
    public async Task The_pages_are_reached_from_the_keyboard()
    {
        await using var console = await fixture.OpenAsync(fixture.Open, "#/overview");
        var page = console.Page;
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Overview", Exact = true })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Models", Exact = true })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Models", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Models", Exact = true })).ToHaveAttributeAsync("aria-current", "page");
        // Focus moves to the page's content, so the next Tab starts there and not back in the navigation.
        await Expect(page.GetByRole(AriaRole.Main)).ToBeFocusedAsync();
        console.AssertClean();
    }

    [Fact]
    public async Task A_narrow_window_needs_no_sideways_scrolling()
    {
        await EnsureStateAsync();
        foreach (var (hash, heading) in new[] { ($"#/models/{Model}", $"Model {Model}"), ("#/training", "Training") })
        {
            await using var console = await fixture.OpenAsync(fixture.Open, hash, width: 400, height: 800);
            await Expect(console.Page.GetByRole(AriaRole.Heading, new() { Name = heading, Exact = true })).ToBeVisibleAsync();
            Assert.True(await console.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
                $"{hash} is wider than a 400 px window");
            await console.ScreenshotAsync($"narrow-{heading.Split(' ')[0].ToLowerInvariant()}");
            console.AssertClean();
        }
    }

    private async Task EnsureStateAsync()
    {
        using var http = fixture.Client(fixture.Open);
        if (!(await http.GetAsync($"api/models/{Model}")).IsSuccessStatusCode)
        {
            await ConsoleWalkthroughTests.Upload(http, Model);
        }

        if (!(await http.GetAsync($"api/datasets/{Dataset}")).IsSuccessStatusCode)
        {
            using var body = new StringContent("x1,x2,y\n1,2,0\n3,4,1\n", System.Text.Encoding.UTF8, "text/csv");
            (await http.PostAsync($"api/datasets/{Dataset}?label=y", body)).EnsureSuccessStatusCode();
        }
    }
}
