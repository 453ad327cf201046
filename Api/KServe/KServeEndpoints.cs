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
    internal static readonly string ServerVersion =
        typeof(KServeEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static RouteGroupBuilder MapKServeEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v2").WithTags("KServe V2");

        group.MapGet("/", () => TypedResults.Ok(new ServerMetadata("orleansml", ServerVersion, ["model_repository", "binary_tensor_data", "statistics"])))
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
        MapStatistics(group);

        var repository = group.MapGroup("/repository");

        repository.MapPost("/index", async (HttpRequest request, ISender sender, CancellationToken cancellationToken) =>
                {
                    var readyOnly = await ReadyOnlyAsync(request, cancellationToken);
                    var models = await sender.Send(new ListModels(), cancellationToken);
                    var entries = models.SelectMany(m => m.Versions.Select(v => RepositoryEntry.From(m.Name, v)))
                        .Where(e => !readyOnly || e.State == "READY").ToArray();
                    return TypedResults.Ok(entries);
                })
            .WithName("KServeRepositoryIndex")
            .RequireAuthorization(Scopes.Predict)
            .WithSummary("Lists every model version with its state (READY, LOADING, UNLOADING, UNAVAILABLE); {\"ready\": true} keeps the ready ones.");

        repository.MapPost("/models/{model}/load", async (string model, ISender sender, CancellationToken cancellationToken) =>
                {
                    await sender.Send(new WarmModel(model), cancellationToken);
                    return TypedResults.Ok();
                })
            .WithName("KServeRepositoryLoad")
            .RequireAuthorization(Scopes.Admin)
            .WithSummary("Warms the model's default version (a zero-batch forward pass on the serving silo).");

        repository.MapPost("/models/{model}/unload", async (string model, ISender sender, CancellationToken cancellationToken) =>
                {
                    await sender.Send(new GetModel(model), cancellationToken);
                    return TypedResults.Ok();
                })
            .WithName("KServeRepositoryUnload")
            .RequireAuthorization(Scopes.Admin)
            .WithSummary("Accepted for compatibility: versions stay registered, and idle replicas are released by the idle sweeper.");

        return group;
    }

    private static void MapModel(RouteGroupBuilder group, string route, string suffix)
    {
        group.MapGet(route, async (string model, string? version, ISender sender, CancellationToken cancellationToken) =>
                {
                    var (info, found) = await FindAsync(sender, model, version, cancellationToken);
                    return TypedResults.Ok(ModelMetadata.From(info, found));
                })
            .WithName($"KServeModel{suffix}Metadata")
            .RequireAuthorization(Scopes.Predict)
            .WithSummary("Model metadata: versions, platform, and the input and output tensors.");

        group.MapGet($"{route}/ready", async (string model, string? version, ISender sender, CancellationToken cancellationToken) =>
                {
                    var (_, found) = await FindAsync(sender, model, version, cancellationToken);
                    return found.State == VersionState.Available
                        ? TypedResults.Ok()
                        : throw PlatformException.Invalid($"version {found.Version} of model '{model}' is {found.State.ToString().ToUpperInvariant()}.");
                })
            .WithName($"KServeModel{suffix}Ready")
            .RequireAuthorization(Scopes.Predict)
            .WithSummary("200 when the model (version) can serve, 404 when unknown, 400 when not ready.");

        group.MapPost($"{route}/infer", async (string model, string? version, HttpRequest request, ISender sender, IOptions<ApiLimits> limits, CancellationToken cancellationToken) =>
                {
                    var number = version is null ? (int?)null : ParseVersion(model, version);
                    var headerLength = request.Headers[InferRequestReader.HeaderLength] is { Count: > 0 } header ? header.ToString() : null;
                    if (headerLength is null && !request.HasJsonContentType())
                    {
                        throw new BadHttpRequestException(
                            $"expected a JSON body (Content-Type: application/json), or the binary tensor extension's body with an {InferRequestReader.HeaderLength} header; got '{request.ContentType ?? "none"}'.",
                            StatusCodes.Status415UnsupportedMediaType);
                    }

                    var body = await RequestBody.ReadBytesAsync(request, limits.Value.MaxPredictBytes, cancellationToken);
                    var infer = InferRequestReader.Read(body, headerLength, limits.Value);
                    var prediction = await sender.Send(new Predict(model, infer.Inputs, number, Outputs: infer.Outputs), cancellationToken);
                    var binary = infer.Outputs is null && infer.BinaryOutputs
                        ? prediction.Outputs.Select(o => o.Name).ToHashSet(StringComparer.Ordinal)
                        : infer.BinaryOutput;
                    return new InferResult(prediction, infer.Id, binary);
                })
            .WithName($"KServeModel{suffix}Infer")
            .RequireAuthorization(Scopes.Predict)
            .Accepts<JsonElement>("application/json", "application/octet-stream")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .WithSummary("Inference: named input tensors of any V2 datatype (JSON data, or binary with Inference-Header-Content-Length) in; the outputs, or those requested, out (JSON or binary).");
    }

    private static void MapStatistics(RouteGroupBuilder group)
    {
        group.MapGet("/models/stats", async (ISender sender, CancellationToken cancellationToken) =>
                Statistics(await sender.Send(new GetModelStatistics(null), cancellationToken)))
            .WithName("KServeStatistics")
            .RequireAuthorization(Scopes.Predict)
            .WithSummary("Inference statistics of every model version, summed over the cluster (Triton's statistics extension).");

        group.MapGet("/models/{model}/stats", async (string model, ISender sender, CancellationToken cancellationToken) =>
                Statistics(await sender.Send(new GetModelStatistics(model), cancellationToken)))
            .WithName("KServeModelStatistics")
            .RequireAuthorization(Scopes.Predict)
            .WithSummary("Inference statistics of every version of a model, summed over the cluster.");

        group.MapGet("/models/{model}/versions/{version}/stats", async (string model, string version, ISender sender, CancellationToken cancellationToken) =>
                Statistics(await sender.Send(new GetModelStatistics(model, ParseVersion(model, version)), cancellationToken)))
            .WithName("KServeModelVersionStatistics")
            .RequireAuthorization(Scopes.Predict)
            .WithSummary("Inference statistics of one model version, summed over the cluster.");
    }

    private static Ok<StatisticsResponse> Statistics(IReadOnlyList<ModelStatistics> statistics) =>
        TypedResults.Ok(new StatisticsResponse(statistics.Select(ModelStatisticsView.From).ToArray()));

    internal static async Task<(ModelInfo Model, ModelVersionInfo Version)> FindAsync(ISender sender, string model, string? version, CancellationToken cancellationToken)
    {
        var info = await sender.Send(new GetModel(model), cancellationToken);
        var number = version is null ? info.DefaultVersion ?? info.Versions.LastOrDefault()?.Version : ParseVersion(model, version);
        var found = info.Versions.FirstOrDefault(v => v.Version == number)
            ?? throw PlatformException.NotFound(version is null ? $"model '{model}' has no versions." : $"version {version} of model '{model}' not found.");
        return (info, found);
    }

    internal static int ParseVersion(string model, string version) =>
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
