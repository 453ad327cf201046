using Microsoft.Playwright;

namespace OrleansML.Tests.WebConsole;

/// <summary>
/// A console page in its own browser context, recording script errors and every request that leaves the Api's
/// origin (the console must need no CDN or other network at run time).
/// </summary>
public sealed class ConsolePage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _errors = [];
    private readonly List<string> _foreign = [];

    public ConsolePage(IBrowserContext context, IPage page, Uri origin)
    {
        _context = context;
        Page = page;
        page.PageError += (_, error) => { lock (_errors) { _errors.Add(error); } };
        page.Request += (_, request) =>
        {
            var url = new Uri(request.Url);
            if (url.Scheme is "http" or "https" && url.Authority != origin.Authority)
            {
                lock (_foreign) { _foreign.Add(request.Url); }
            }
        };
    }

    public IPage Page { get; }

    /// <summary>Saves a screenshot of the whole page as <c>{name}.png</c> in the screenshot folder.</summary>
    public Task ScreenshotAsync(string name) =>
        Page.ScreenshotAsync(new() { Path = Path.Combine(ConsoleFixture.ScreenshotDirectory, $"{name}.png"), FullPage = true });

    /// <summary>No script error happened and nothing was fetched from another host.</summary>
    public void AssertClean()
    {
        lock (_errors)
        {
            Assert.True(_errors.Count == 0, "script errors: " + string.Join(" | ", _errors));
        }

        lock (_foreign)
        {
            Assert.True(_foreign.Count == 0, "requests to other hosts: " + string.Join(", ", _foreign));
        }
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
