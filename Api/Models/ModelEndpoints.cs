using System.Text.Json;
using Mediator;
using Microsoft.Extensions.Options;
using OrleansML.Api.History;
using OrleansML.Api.Http;
using OrleansML.Api.Models.Rollouts;
using OrleansML.Serving;
using OrleansML.Api.Security;

namespace OrleansML.Api.Models;

public static class ModelEndpoints
{
    public static RouteGroupBuilder MapModelEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/models").WithTags("Models");

        group.MapPost("/{name}/versions", (string name, HttpRequest request, ISender sender, IOptions<ApiLimits> limits, CancellationToken cancellationToken) =>
                ApiErrors.TryNative(async () =>
                {
                    var upload = await UploadForm.ReadAsync(name, request, limits.Value.MaxUploadBytes, UploadForm.JsonOptions(request.HttpContext.RequestServices), cancellationToken);
                    await using (upload.Artifact)
                    {
                        var version = await sender.Send(upload, cancellationToken);
                        return TypedResults.Created($"/api/models/{name}/versions/{version.Version}", ModelVersionView.From(name, version));
                    }
                }))
            .WithName("UploadModelVersion")
            .RequireAuthorization(Scopes.Admin)
            .WithSummary("Uploads a TorchScript archive or native weights (multipart part 'artifact', optional JSON parts 'signature', 'architecture', 'preprocessing') as the next version.");

        group.MapPost("/", (CreateModelBody body, ISender sender, CancellationToken cancellationToken) =>
                ApiErrors.TryNative(async () =>
                    TypedResults.Created($"/api/models/{body.Name}", await sender.Send(new CreateModel(body.Name, body.Architecture, body.Seed), cancellationToken))))
            .WithName("CreateModel")
            .RequireAuthorization(Scopes.Admin)
            .WithSummary("Creates a model whose version 1 is built from an architecture with seeded weights.");

        group.MapGet("/", async (ISender sender, CancellationToken cancellationToken) =>
                TypedResults.Ok((await sender.Send(new ListModels(), cancellationToken)).Select(ModelSummary.From).ToArray()))
            .WithName("ListModels")
            .RequireAuthorization(Scopes.Predict)
            .WithSummary("Lists the models with their version count, labels and default version.");

        group.MapGet("/{name}", (string name, string? at, ISender sender, CancellationToken cancellationToken) =>
                ApiErrors.TryNative(async () => TypedResults.Ok(at is null
                    ? await sender.Send(new GetModel(name), cancellationToken)
                    : await sender.Send(new GetModelAt(name, HistoryQuery.At(at)), cancellationToken))))
            .WithName("GetModel")
            .RequireAuthorization(Scopes.Predict)
            .WithSummary("Gets a model: versions, labels, traffic split, version policy and batching; with ?at=<ISO 8601> as it was then (from its history).");

        group.MapGet("/{name}/versions/{version:int}", (string name, int version, ISender sender, CancellationToken cancellationToken) =>
                ApiErrors.TryNative(async () =>
                {
                    var model = await sender.Send(new GetModel(name), cancellationToken);
                    var found = model.Versions.FirstOrDefault(v => v.Version == version)
                        ?? throw Errors.PlatformException.NotFound($"version {version} of model '{name}' not found.");
                    return TypedResults.Ok(ModelVersionView.From(name, found));
                }))
            .WithName("GetModelVersion")
            .RequireAuthorization(Scopes.Predict)
            .WithSummary("Gets one version of a model.");

        group.MapDelete("/{name}/versions/{version:int}", (string name, int version, ISender sender, CancellationToken cancellationToken) =>
                ApiErrors.TryNative(async () => TypedResults.Ok(await sender.Send(new DeleteModelVersion(name, version), cancellationToken))))
            .WithName("DeleteModelVersion")
            .RequireAuthorization(Scopes.Admin)
            .WithSummary("Deletes a version and its artifact; 409 while a label points at it.");

        group.MapPut("/{name}/labels/{label}", (string name, string label, SetLabelBody body, ISender sender, CancellationToken cancellationToken) =>
                ApiErrors.TryNative(async () => TypedResults.Ok(await sender.Send(new SetLabel(name, label, body.Version), cancellationToken))))
            .WithName("SetLabel")
            .RequireAuthorization(Scopes.Admin)
            .WithSummary("Points a label (such as stable or canary) at a version, once that version is warm on every silo.");

        group.MapDelete("/{name}/labels/{label}", (string name, string label, ISender sender, CancellationToken cancellationToken) =>
                ApiErrors.TryNative(async () => TypedResults.Ok(await sender.Send(new RemoveLabel(name, label), cancellationToken))))
            .WithName("RemoveLabel")
            .RequireAuthorization(Scopes.Admin)
            .WithSummary("Removes a label.");

        group.MapPut("/{name}/traffic", (string name, TrafficSplitBody body, ISender sender, CancellationToken cancellationToken) =>
                ApiErrors.TryNative(async () => TypedResults.Ok(await sender.Send(new SetTrafficSplit(name, body.Weights), cancellationToken))))
            .WithName("SetTrafficSplit")
            .RequireAuthorization(Scopes.Admin)
            .WithSummary("Splits unaddressed requests between labels by weight; empty weights clear the split.");

        group.MapPut("/{name}/policy", (string name, VersionPolicyBody body, ISender sender, CancellationToken cancellationToken) =>
                ApiErrors.TryNative(async () => TypedResults.Ok(await sender.Send(new SetVersionPolicy(name, body.KeepLatest), cancellationToken))))
            .WithName("SetVersionPolicy")
            .RequireAuthorization(Scopes.Admin)
            .WithSummary("Keeps the latest n versions plus labelled ones (0 keeps all).");

        group.MapPut("/{name}/batching", (string name, BatchingSettings body, ISender sender, CancellationToken cancellationToken) =>
                ApiErrors.TryNative(async () => TypedResults.Ok(await sender.Send(new SetBatching(name, body), cancellationToken))))
            .WithName("SetBatching")
            .RequireAuthorization(Scopes.Admin)
            .WithSummary("Sets dynamic batching: enabled, maxBatchSize, maxQueueDelayMs.");

        group.MapPut("/{name}/onnx-session", (string name, OnnxSessionSettings body, ISender sender, CancellationToken cancellationToken) =>
                ApiErrors.TryNative(async () => TypedResults.Ok(await sender.Send(new SetOnnxSession(name, body), cancellationToken))))
            .WithName("SetOnnxSession")
            .RequireAuthorization(Scopes.Admin)
            .WithSummary("Sets how the model's ONNX versions open their sessions: intraOpThreads (0 automatic), interOpThreads, graphOptimization; the serving ones reload warm.");

        group.MapPost("/{name}/predict", async (string name, HttpRequest request, ISender sender, IOptions<ApiLimits> limits, CancellationToken cancellationToken) =>
                {
                    var bytes = await RequestBody.ReadJsonBytesAsync(request, limits.Value.MaxPredictBytes, cancellationToken);
                    var predict = NumericPredictBody.TryRead(name, bytes, limits.Value) ?? ReadDocument(name, bytes, limits.Value);
                    return PredictBody.Result(await sender.Send(predict, cancellationToken));
                })
            .WithName("Predict")
            .RequireAuthorization(Scopes.Predict)
            .Accepts<JsonElement>("application/json")
            .Produces<PredictResponse>()
            .WithSummary("Predicts {\"inputs\": rows (or {\"name\": rows} for several inputs), \"outputs\"?, \"version\"?, \"label\"?}; outputs come back nested per row.");

        group.MapDownloadArtifact();
        group.MapRollouts();
        return group;
    }

    /// <summary>Any predict body the one-pass reader leaves (named inputs, strings, errors): read as a document.</summary>
    private static Predict ReadDocument(string name, byte[] bytes, ApiLimits limits)
    {
        using var body = RequestBody.ParseJson(bytes);
        return PredictBody.Read(name, body.RootElement, limits);
    }
}
