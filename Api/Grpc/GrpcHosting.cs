using Grpc.AspNetCore.Server;
using Grpc.AspNetCore.Server.Model;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrleansML.Api.Grpc.Decoding;
using OrleansML.Api.Grpc.KServe;
using OrleansML.Api.Grpc.TensorFlowServing;
using OrleansML.Api.Http;

namespace OrleansML.Api.Grpc;

public static class GrpcHosting
{
    private const string EndpointName = "OrleansMLGrpc";

    /// <summary>
    /// The gRPC services, with the predict body limit as the largest message they receive, and the HTTP/2-only
    /// endpoint they listen on (<see cref="GrpcOptions.Url"/>), unless that is empty.
    /// </summary>
    public static WebApplicationBuilder AddOrleansMLGrpc(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(GrpcOptions.SectionName);
        builder.Services.Configure<GrpcOptions>(section);
        var url = (section.Get<GrpcOptions>() ?? new GrpcOptions()).Url;
        if (string.IsNullOrWhiteSpace(url))
        {
            return builder;
        }

        builder.Services.AddGrpc(o => o.Interceptors.Add<GrpcErrorInterceptor>());
        // In place of Grpc.AspNetCore's binder (the one open-generic method provider AddGrpc registers): the same
        // binding, with request bytes that do not parse refused as INVALID_ARGUMENT instead of ending UNKNOWN.
        builder.Services.Replace(ServiceDescriptor.Singleton(typeof(IServiceMethodProvider<>), typeof(DecodingServiceMethodProvider<>)));
        builder.Services.AddOptions<GrpcServiceOptions>().Configure<IOptions<ApiLimits>>((o, limits) =>
            o.MaxReceiveMessageSize = (int)Math.Min(int.MaxValue, limits.Value.MaxPredictBytes));
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpcHealthChecks(o => o.Services.Map("", r => r.Tags.Contains(Microsoft.Extensions.Hosting.Extensions.ReadyTag)));
        ListenAlsoOn(builder.Configuration, url);
        return builder;
    }

    /// <summary>
    /// KServe V2 and TF Serving over gRPC (their methods carry their scopes), health (anonymous, as <c>/health</c>) and
    /// reflection (anonymous, as the OpenAPI document).
    /// </summary>
    public static WebApplication MapOrleansMLGrpc(this WebApplication app)
    {
        var url = app.Services.GetRequiredService<IOptions<GrpcOptions>>().Value.Url;
        if (string.IsNullOrWhiteSpace(url))
        {
            return app;
        }

        app.UseFramingErrorStatus();
        app.MapGrpcService<InferenceService>();
        app.MapGrpcService<PredictionService>();
        app.MapGrpcService<ModelStatusService>();
        app.MapGrpcHealthChecksService().AllowAnonymous();
        app.MapGrpcReflectionService().AllowAnonymous();
        return app;
    }

    /// <summary>
    /// Kestrel serves either <c>Kestrel:Endpoints</c> or the <c>urls</c> (<c>--urls</c>, <c>ASPNETCORE_URLS</c>, the
    /// ports settings), and h2c needs an endpoint whose only protocol is HTTP/2. So the gRPC endpoint joins the
    /// configured endpoints, or else every address <c>urls</c> would have served becomes an endpoint beside it.
    /// </summary>
    private static void ListenAlsoOn(IConfigurationManager configuration, string url)
    {
        if (!configuration.GetSection("Kestrel:Endpoints").GetChildren().Any())
        {
            var addresses = configuration["urls"] is { Length: > 0 } urls
                ? urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : Ports(configuration["http_ports"], "http").Concat(Ports(configuration["https_ports"], "https")).DefaultIfEmpty("http://localhost:5000");
            foreach (var (address, index) in addresses.Select((a, i) => (a, i)))
            {
                configuration[$"Kestrel:Endpoints:Http{index}:Url"] = address;
            }

            // Kestrel would warn that the endpoints override them: they are the same addresses.
            configuration["urls"] = null;
            configuration["http_ports"] = null;
            configuration["https_ports"] = null;
        }

        configuration[$"Kestrel:Endpoints:{EndpointName}:Url"] = url;
        configuration[$"Kestrel:Endpoints:{EndpointName}:Protocols"] = "Http2";
    }

    private static IEnumerable<string> Ports(string? ports, string scheme) =>
        (ports ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => $"{scheme}://*:{p}");
}
