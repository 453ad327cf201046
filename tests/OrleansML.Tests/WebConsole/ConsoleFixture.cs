using Microsoft.Playwright;
using OrleansML.Api.Security;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.WebConsole;

/// <summary>
/// The web console's end-to-end setup: the built Api as real processes in embedded mode, one open (as
/// <c>dotnet run --project Api</c> runs) and one requiring API keys, and the system's Chromium driven by
/// Playwright. No browser is downloaded: Chromium comes from the OS (tests/run-all.sh installs Debian's), at
/// <c>ORLEANSML_CHROMIUM</c> or <c>/usr/bin/chromium</c>.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    public const string AdminKey = "oml_console-admin-0123456789abcdefghijklmnopq";
    public const string PredictKey = "oml_console-predict-0123456789abcdefghijklmno";

    /// <summary>A predict key allowed one request per 100 s: its second call is a 429.</summary>
    public const string SlowKey = "oml_console-slow-0123456789abcdefghijklmnopqr";

    private readonly TempDirectory _openData = new();
    private readonly TempDirectory _securedData = new();
    private IPlaywright? _playwright;

    public PlatformProcess Open { get; private set; } = null!;

    public PlatformProcess Secured { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where the tests save their screenshots (the test output folder; the best are copied into docs/console).</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "console-screenshots");

    public static string ChromiumPath => Environment.GetEnvironmentVariable("ORLEANSML_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new FileNotFoundException($"Chromium is missing at {ChromiumPath}: apt-get install chromium (tests/run-all.sh does), or set ORLEANSML_CHROMIUM.");
        }

        Directory.CreateDirectory(ScreenshotDirectory);
        Open = PlatformProcess.Api(Embedded(_openData));
        Secured = PlatformProcess.Api(Embedded(_securedData), new PlatformProcessOptions { Environment = Keys() });
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Args = ["--no-sandbox"] });
        await Task.WhenAll(Open.WaitReadyAsync(TimeSpan.FromSeconds(120)), Secured.WaitReadyAsync(TimeSpan.FromSeconds(120)));
    }

    /// <summary>A new browser page on the console of <paramref name="api"/>, recording what would make a test fail.</summary>
    public async Task<ConsolePage> OpenAsync(PlatformProcess api, string hash = "", int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = api.BaseAddress.ToString(), ViewportSize = new() { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        var watched = new ConsolePage(context, page, api.BaseAddress);
        await page.GotoAsync("/" + hash);
        return watched;
    }

    public HttpClient Client(PlatformProcess api, string? key = null)
    {
        var client = api.CreateHttpClient(TimeSpan.FromSeconds(60));
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key);
        }

        return client;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await Task.WhenAll(Open is null ? Task.CompletedTask : Open.DisposeAsync().AsTask(), Secured is null ? Task.CompletedTask : Secured.DisposeAsync().AsTask());
        _openData.Dispose();
        _securedData.Dispose();
    }

    private static string[] Embedded(TempDirectory data) =>
    [
        "--OrleansML:Mode", "Embedded", "--OrleansML:DataDirectory", data.Path, "--OrleansML:Device", "cpu",
        "--OrleansML:SiloPort", FreePort.Next().ToString(), "--OrleansML:GatewayPort", FreePort.Next().ToString(),
    ];

    private static Dictionary<string, string> Keys()
    {
        var settings = new Dictionary<string, string>();
        var keys = new (string Name, string Secret, string Scope, string? Rate)[]
        {
            ("admin", AdminKey, Scopes.Admin, null),
            ("predict", PredictKey, Scopes.Predict, null),
            ("slow", SlowKey, Scopes.Predict, "0.01"),
        };
        for (var i = 0; i < keys.Length; i++)
        {
            settings[$"OrleansML__Auth__ApiKeys__{i}__Name"] = keys[i].Name;
            settings[$"OrleansML__Auth__ApiKeys__{i}__Sha256"] = ApiKeySecret.Hash(keys[i].Secret);
            settings[$"OrleansML__Auth__ApiKeys__{i}__Scopes__0"] = keys[i].Scope;
            if (keys[i].Rate is { } rate)
            {
                settings[$"OrleansML__Auth__ApiKeys__{i}__RequestsPerSecond"] = rate;
            }
        }

        return settings;
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "Web console";
}
