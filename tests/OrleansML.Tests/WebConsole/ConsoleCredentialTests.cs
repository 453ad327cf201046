using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OrleansML.Tests.WebConsole;

/// <summary>The console of an API that requires API keys: sign-in, scopes shown as disabled controls with their reason, and 401/403/429 shown as what they are.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleCredentialTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task With_authentication_on_the_console_asks_for_a_credential_and_shows_no_open_banner()
    {
        await using var console = await fixture.OpenAsync(fixture.Secured);
        var signIn = console.Page.GetByRole(AriaRole.Form, new() { Name = "Sign in" });
        await Expect(signIn.GetByLabel("Key or token")).ToBeVisibleAsync();
        await Expect(console.Page.GetByText("This API runs without authentication")).ToHaveCountAsync(0);
        // The page itself loaded anonymously; the API calls it made without a key were refused as such.
        await Expect(console.Page.GetByRole(AriaRole.Main)).ToContainTextAsync("Not signed in (401)");
        console.AssertClean();
    }

    [Fact]
    public async Task A_key_the_api_does_not_know_is_refused_beside_the_field_as_a_401()
    {
        await using var console = await fixture.OpenAsync(fixture.Secured);
        var signIn = console.Page.GetByRole(AriaRole.Form, new() { Name = "Sign in" });
        var key = signIn.GetByLabel("Key or token");
        await key.FillAsync("oml_not-a-key-anyone-configured-0123456789");
        await signIn.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(signIn.Locator(".field", new() { Has = console.Page.GetByLabel("Key or token") }).GetByRole(AriaRole.Alert))
            .ToHaveTextAsync("Not signed in (401): the API did not accept the credential; sign in again. the API key is not valid.");
        Assert.Null(await console.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('orleansml.credential')"));
        console.AssertClean();
    }

    [Fact]
    public async Task A_predict_only_key_sees_the_admin_controls_disabled_with_the_reason_and_can_still_predict()
    {
        const string model = "console-secured";
        using (var admin = fixture.Client(fixture.Secured, ConsoleFixture.AdminKey))
        {
            if (!(await admin.GetAsync($"api/models/{model}")).IsSuccessStatusCode)
            {
                await ConsoleWalkthroughTests.Upload(admin, model);
            }
        }

        await using var console = await fixture.OpenAsync(fixture.Secured);
        var page = console.Page;
        await SignInAsync(page, ConsoleFixture.PredictKey);
        await Expect(page.GetByText("Signed in as predict (predict)")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("The silo view: Needs the admin scope; 'predict' has predict.");

        await page.GotoAsync($"/#/models/{model}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Model {model}" })).ToBeVisibleAsync();
        var reason = "Needs the admin scope; 'predict' has predict.";
        foreach (var control in new[]
        {
            page.GetByRole(AriaRole.Button, new() { Name = "Delete version 1" }),
            page.GetByRole(AriaRole.Button, new() { Name = "Set label" }),
            page.GetByRole(AriaRole.Button, new() { Name = "Upload version" }),
        })
        {
            await Expect(control).ToBeDisabledAsync();
            await Expect(control).ToHaveAccessibleDescriptionAsync(reason);
        }

        var tryIt = page.GetByRole(AriaRole.Form, new() { Name = $"Try {model}" });
        var predict = tryIt.GetByRole(AriaRole.Button, new() { Name = "Predict" });
        await Expect(predict).ToBeEnabledAsync();
        await tryIt.GetByLabel("input (FP32, shape [-1, 1000])").FillAsync($"[{string.Join(",", Enumerable.Repeat(1, 1000))}]");
        await predict.ClickAsync();
        await Expect(page.GetByTestId("prediction-meta")).ToContainTextAsync("Answered by version 1");
        await console.ScreenshotAsync("predict-only-key");

        // A page that needs a scope the key lacks says so: 403, not an empty list.
        await page.GotoAsync("/#/datasets");
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Not allowed (403): this credential lacks the scope this action needs.");
        console.AssertClean();
    }

    [Fact]
    public async Task A_key_over_its_rate_limit_sees_a_429_with_the_wait()
    {
        await using var console = await fixture.OpenAsync(fixture.Secured);
        // The sign-in's own call spends the key's one request; the overview's next call is over the rate.
        await SignInAsync(console.Page, ConsoleFixture.SlowKey);
        await Expect(console.Page.GetByRole(AriaRole.Main)).ToContainTextAsync("Too many requests (429): this credential is over its rate limit; retry after");
        await Expect(console.Page.GetByRole(AriaRole.Main)).ToContainTextAsync("rate limit exceeded for 'slow'");
        console.AssertClean();
    }

    private static async Task SignInAsync(IPage page, string key)
    {
        var signIn = page.GetByRole(AriaRole.Form, new() { Name = "Sign in" });
        await signIn.GetByLabel("Key or token").FillAsync(key);
        await signIn.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }
}
