using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OrleansML.Api.Http;
using OrleansML.Api.Models;
using OrleansML.Errors;
using OrleansML.Serving;
using OrleansML.Api.Security;

namespace OrleansML.Api.KServe;

/// <summary>
/// The KServe V2 Open Inference Protocol over REST (health, metadata, inference) with the model repository
/// extension. Errors answer <c>{"error": "..."}</c>; readiness is the status code (200 ready, 4xx not).
/// </summary>
public static class KServeEndpoints
{
    private static readonly string ServerVersion =
        typeof(KServeEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static RouteGroupBuilder MapKServeEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v2").WithTags("KServe V2");

        group.MapGet("/", () => TypedResults.Ok(new ServerMetadata("orleansml", ServerVersion, ["model_repository"])))
            .WithName("KServeServerMetadata")
            .RequireAuthorization(Scopes.Predict)
            .WithSummary("Server metadata: name, version and extensions.");

        group.MapGet("/health/live", () => TypedResults.Ok())
            .WithName("KServeServerLive")
            .AllowAnonymous()
            .WithSummary("200 while the server can answer requests.");

        group.MapGet("/health/ready", async Task<Results<Ok, JsonHttpResult<ProtocolError>>> (HealthCheckService health, CancellationToken cancellationToken) =>
            {
                var report = await health.CheckHealthAsync(r => r.Tags.Contains(Extensions.ReadyTag), cancellationToken);
                return report.Status == HealthStatus.Healthy
                    ? TypedResults.Ok()
                    : TypedResults.Json(new ProtocolError($"the server is not ready: {report.Status}."), statusCode: StatusCodes.Status400BadRequest);
            })
            .WithName("KServeServerReady")
            .AllowAnonymous()
            .WithSummary("200 once the silo is active and storage is writable, else 400.");

        MapModel(group, "/models/{model}", "");
        MapModel(group, "/models/{model}/versions/{version}", "Version");

        var repository = group.MapGroup("/repository");

        repository.MapPost("/index", (HttpRequest request, ISender sender, CancellationToken cancellationToken) =>
                ApiErrors.TryProtocol(async () =>
                {
                    var readyOnly = await ReadyOnlyAsync(request, cancellationToken);
                    var models = await sender.Send(new ListModels(), cancellationToken);
                    var entries = models.SelectMany(m => m.Versions.Select(v => RepositoryEntry.From(m.Name, v)))
                        .Where(e => !readyOnly || e.State == "READY").ToArray();
                    return TypedResults.Ok(entries);
                }))
            .WithName("KServeRepositoryIndex")
            .RequireAuthorization(Scopes.Predict)
            .WithSummary("Lists every model version with its state (READY, LOADING, UNLOADING, UNAVAILABLE); {\"ready\": true} keeps the ready ones.");

        repository.MapPost("/models/{model}/load", (string model, ISender sender, CancellationToken cancellationToken) =>
                ApiErrors.TryProtocol(async () =>
                {
                    await sender.Send(new WarmModel(model), cancellationToken);
                    return TypedResults.Ok();
                }))
            .WithName("KServeRepositoryLoad")
            .RequireAuthorization(Scopes.Admin)
            .WithSummary("Warms the model's default version (a zero-batch forward pass on the serving silo).");

        repository.MapPost("/models/{model}/unload", (string model, ISender sender, CancellationToken cancellationToken) =>
                ApiErrors.TryProtocol(async () =>
                {
                    await sender.Send(new GetModel(model), cancellationToken);
                    return TypedResults.Ok();
                }))
            .WithName("KServeRepositoryUnload")
            .RequireAuthorization(Scopes.Admin)
            .WithSummary("Accepted for compatibility: versions stay registered, and idle replicas are released by the idle sweeper.");

        return group;
    }

    private static void MapModel(RouteGroupBuilder group, string route, string suffix)
    {
        group.MapGet(route, (string model, string? version, ISender sender, CancellationToken cancellationToken) =>
                ApiErrors.TryProtocol(async () =>
                {
                    var (info, found) = await FindAsync(sender, model, version, cancellationToken);
                    return TypedResults.Ok(ModelMetadata.From(info, found));
                }))
            .WithName($"KServeModel{suffix}Metadata")
            .RequireAuthorization(Scopes.Predict)
            .WithSummary("Model metadata: versions, platform, and the input and output tensors.");

        group.MapGet($"{route}/ready", (string model, string? version, ISender sender, CancellationToken cancellationToken) =>
                ApiErrors.TryProtocol(async () =>
                {
                    var (_, found) = await FindAsync(sender, model, version, cancellationToken);
                    return found.State == VersionState.Available
                        ? TypedResults.Ok()
                        : throw PlatformException.Invalid($"version {found.Version} of model '{model}' is {found.State.ToString().ToUpperInvariant()}.");
                }))
            .WithName($"KServeModel{suffix}Ready")
            .RequireAuthorization(Scopes.Predict)
            .WithSummary("200 when the model (version) can serve, 404 when unknown, 400 when not ready.");

        group.MapPost($"{route}/infer", (string model, string? version, HttpRequest request, ISender sender, IOptions<ApiLimits> limits, CancellationToken cancellationToken) =>
                ApiErrors.TryProtocol(async () =>
                {
                    using var body = await RequestBody.ReadJsonAsync(request, limits.Value.MaxPredictBytes, cancellationToken);
                    var infer = InferRequestReader.Read(body.RootElement, limits.Value);
                    var number = version is null ? (int?)null : ParseVersion(model, version);
                    var prediction = await sender.Send(new Predict(model, infer.Input, number), cancellationToken);
                    var outputs = prediction.Outputs.Select(o => new InferOutput(o.Name, o.DataType, o.Shape, o.Data)).ToArray();
                    if (infer.Outputs is { } requested)
                    {
                        var unknown = requested.FirstOrDefault(name => outputs.All(o => o.Name != name));
                        if (unknown is not null)
                        {
                            throw PlatformException.Invalid($"requested output '{unknown}' is not an output of model '{model}' (outputs: {string.Join(", ", outputs.Select(o => o.Name))}).");
                        }

                        outputs = outputs.Where(o => requested.Contains(o.Name)).ToArray();
                    }

                    return TypedResults.Ok(new InferResponse(prediction.Model, prediction.Version.ToString(CultureInfo.InvariantCulture), infer.Id, outputs));
                }))
            .WithName($"KServeModel{suffix}Infer")
            .RequireAuthorization(Scopes.Predict)
            .WithSummary("Inference: one input tensor (FP32, FP64, INT32, INT64; flat or nested data) in, output tensors with flat data out.");
    }

    private static async Task<(ModelInfo Model, ModelVersionInfo Version)> FindAsync(ISender sender, string model, string? version, CancellationToken cancellationToken)
    {
        var info = await sender.Send(new GetModel(model), cancellationToken);
        var number = version is null ? info.DefaultVersion ?? info.Versions.LastOrDefault()?.Version : ParseVersion(model, version);
        var found = info.Versions.FirstOrDefault(v => v.Version == number)
            ?? throw PlatformException.NotFound(version is null ? $"model '{model}' has no versions." : $"version {version} of model '{model}' not found.");
        return (info, found);
    }

    private static int ParseVersion(string model, string version) =>
        int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw PlatformException.NotFound($"version '{version}' of model '{model}' not found.");

    /// <summary>
    /// The index request body is optional: empty, or an object whose <c>ready</c>, when present, is a boolean. Any
    /// other body is a 400, not a silent "list everything".
    /// </summary>
    private static async Task<bool> ReadyOnlyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is 0 || (request.ContentLength is null && !request.HasJsonContentType()))
        {
            return false;
        }

        using var body = await RequestBody.ReadJsonAsync(request, 64 * 1024, cancellationToken);
        var root = body.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw PlatformException.Invalid($"the index request must be a JSON object such as {{\"ready\": true}}, got {TensorJson.Describe(root)}.");
        }

        return root.TryGetProperty("ready", out var ready) && ready.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw PlatformException.Invalid($"'ready' must be a boolean, got {TensorJson.Describe(ready)}."),
        };
    }
}
