using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// <c>/metrics</c> in the Prometheus text format through OpenTelemetry's own exporter, so the series are the same
/// meters, names and units that reach an OTLP collector, guarded as <see cref="MetricsOptions"/> says.
/// </summary>
public static class MetricsEndpoint
{
    /// <summary>Reads the options and, for a management <see cref="MetricsOptions.Url"/>, listens there too.</summary>
    public static MetricsOptions AddPrometheusMetrics(IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(MetricsOptions.SectionName);
        var options = section.Get<MetricsOptions>() ?? new MetricsOptions();
        builder.Services.Configure<MetricsOptions>(section);
        if (options.Enabled && !string.IsNullOrWhiteSpace(options.Url))
        {
            ListenAlsoOn(builder.Configuration, options.Url);
        }

        return options;
    }

    public static WebApplication MapPrometheusMetrics(this WebApplication app)
    {
        var options = app.Configuration.GetSection(MetricsOptions.SectionName).Get<MetricsOptions>() ?? new MetricsOptions();
        if (!options.Enabled)
        {
            return app;
        }

        int? port = string.IsNullOrWhiteSpace(options.Url) ? null : BindingAddress.Parse(options.Url).Port;
        if (port is { } management)
        {
            // The management port is for scrapers and probes: nothing else of the application answers there.
            app.Use((context, next) => context.Connection.LocalPort == management && !IsManagementPath(context.Request.Path, options.Path)
                ? Results.NotFound().ExecuteAsync(context)
                : next(context));
        }

        var token = string.IsNullOrEmpty(options.Token) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(options.Token));
        var endpoint = app.MapPrometheusScrapingEndpoint(options.Path, meterProvider: null, configureBranchedPipeline: branch =>
            branch.Use((context, next) => Refusal(context, port, token) is { } status ? Refuse(context, status) : next(context)), optionsName: null);
        if (token is not null || port is not null || options.AllowAnonymous)
        {
            endpoint.AllowAnonymous();
        }

        return app;
    }

    private static bool IsManagementPath(PathString path, string metricsPath) =>
        path.StartsWithSegments(metricsPath) || path.StartsWithSegments("/health");

    private static int? Refusal(HttpContext context, int? port, byte[]? token)
    {
        if (port is { } management && context.Connection.LocalPort != management)
        {
            return StatusCodes.Status404NotFound;
        }

        return token is null || Presents(context.Request, token) ? null : StatusCodes.Status401Unauthorized;
    }

    /// <summary>Compares hashes in constant time, so neither the token's bytes nor its length leak through timing.</summary>
    private static bool Presents(HttpRequest request, byte[] expected)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(presented, expected);
    }

    private static Task Refuse(HttpContext context, int status)
    {
        if (status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }

        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }

    /// <summary>
    /// Kestrel serves either its <c>Kestrel:Endpoints</c> or the <c>urls</c> (<c>--urls</c>, <c>ASPNETCORE_URLS</c>,
    /// or the ports settings), and any explicit listen replaces <c>urls</c>. So the management address joins whichever
    /// the process already uses, keeping every address it would have served without it.
    /// </summary>
    private static void ListenAlsoOn(IConfigurationManager configuration, string url)
    {
        if (configuration.GetSection("Kestrel:Endpoints").GetChildren().Any())
        {
            configuration["Kestrel:Endpoints:OrleansMLMetrics:Url"] = url;
            return;
        }

        var addresses = configuration["urls"] is { Length: > 0 } urls
            ? urls
            : string.Join(';', Ports(configuration["http_ports"], "http").Concat(Ports(configuration["https_ports"], "https"))) is { Length: > 0 } ports
                ? ports
                : "http://localhost:5000";
        configuration["urls"] = $"{addresses};{url}";
    }

    private static IEnumerable<string> Ports(string? ports, string scheme) =>
        (ports ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => $"{scheme}://*:{p}");
}
