using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace OrleansML.Api.WebConsole;

/// <summary>
/// The web console: a static single-page app (plain ES modules, no build step) embedded in the Api assembly, so
/// <c>dotnet run --project Api</c>, a published folder and a container image all serve the same files at <c>/</c>
/// whatever the working directory. The files are public: they hold no data, and every call the page makes goes to
/// the REST API with the credential the user signs in with, under the API's own authorization.
/// </summary>
public static class ConsoleHosting
{
    /// <summary>
    /// The console's own security policy: scripts, styles and connections only from this origin, nothing from a
    /// CDN or any other host, no framing.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    /// <summary>Serves <c>/</c> (index.html) and <c>/console/*</c> before authentication runs, so they are anonymous.</summary>
    public static WebApplication UseOrleansMLConsole(this WebApplication app)
    {
        var files = new ManifestEmbeddedFileProvider(typeof(ConsoleHosting).Assembly, "WebConsole/site");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                // Revalidate on every load (the ETag makes that cheap), so an upgraded Api is picked up at once.
                headers.CacheControl = "no-cache";
                headers.XContentTypeOptions = "nosniff";
                headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
            },
        });
        return app;
    }
}
