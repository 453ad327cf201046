using System.Globalization;
using Mediator;
using Microsoft.Extensions.Options;
using OrleansML.Api.Http;
using OrleansML.Api.Models;
using OrleansML.Errors;
using OrleansML.Serving;
using OrleansML.Api.Security;

namespace OrleansML.Api.TensorFlowServing;

/// <summary>
/// TensorFlow Serving's REST API: model status, metadata and predict (row and columnar formats), addressed by
/// model, version or label. Errors answer <c>{"error": "..."}</c>.
/// </summary>
public static class TensorFlowServingEndpoints
{
    public static RouteGroupBuilder MapTensorFlowServingEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/models").WithTags("TF Serving");

        MapPredict(group, "/{model}:predict", "", (_, _) => (null, null));
        MapPredict(group, "/{model}/versions/{version}:predict", "Version", (model, route) => (ParseVersion(model, route), null));
        MapPredict(group, "/{model}/labels/{label}:predict", "Label", (_, route) => (null, route));

        MapStatus(group, "/{model}", "", (model, _) => model.Versions);
        MapStatus(group, "/{model}/versions/{version}", "Version", (model, route) => [Version(model, ParseVersion(model.Name, route!))]);
        MapStatus(group, "/{model}/labels/{label}", "Label", (model, route) => [Version(model, Labelled(model, route!))]);

        group.MapGet("/{model}/metadata", (string model, ISender sender, CancellationToken cancellationToken) =>
                ApiErrors.TryProtocol(async () =>
                {
                    var info = await sender.Send(new GetModel(model), cancellationToken);
                    var version = Version(info, info.DefaultVersion ?? info.Versions.LastOrDefault()?.Version ?? 0);
                    return TypedResults.Ok(ModelMetadataDocument.From(model, version));
                }))
            .WithName("TfServingModelMetadata")
            .RequireAuthorization(Scopes.Predict)
            .WithSummary("The model spec and its serving_default signature (inputs and outputs with dtype and shape).");

        return group;
    }

    private static void MapPredict(RouteGroupBuilder group, string route, string suffix, Func<string, string?, (int? Version, string? Label)> target)
    {
        group.MapPost(route, (string model, HttpRequest request, ISender sender, IOptions<ApiLimits> limits, CancellationToken cancellationToken) =>
                ApiErrors.TryProtocol(async () =>
                {
                    var routeValue = (request.RouteValues["version"] ?? request.RouteValues["label"]) as string;
                    var (version, label) = target(model, routeValue);
                    using var body = await RequestBody.ReadJsonAsync(request, limits.Value.MaxPredictBytes, cancellationToken);
                    var predict = PredictRequestReader.Read(body.RootElement, limits.Value);
                    var prediction = await sender.Send(new Predict(model, predict.Input, version, label), cancellationToken);
                    var output = TensorJson.ToNested(prediction.Outputs[0]);
                    return predict.Columnar
                        ? Results.Json(new ColumnarPredictResponse(output))
                        : Results.Json(new RowPredictResponse(output));
                }))
            .WithName($"TfServingPredict{suffix}")
            .RequireAuthorization(Scopes.Predict)
            .WithSummary("Predicts {\"instances\": [...]} → {\"predictions\": [...]} or {\"inputs\": ...} → {\"outputs\": ...}.");
    }

    private static void MapStatus(RouteGroupBuilder group, string route, string suffix, Func<ModelInfo, string?, IEnumerable<ModelVersionInfo>> versions)
    {
        group.MapGet(route, (string model, HttpRequest request, ISender sender, CancellationToken cancellationToken) =>
                ApiErrors.TryProtocol(async () =>
                {
                    var info = await sender.Send(new GetModel(model), cancellationToken);
                    var routeValue = (request.RouteValues["version"] ?? request.RouteValues["label"]) as string;
                    return TypedResults.Ok(new ModelStatusResponse(versions(info, routeValue).Select(VersionStatus.From).ToArray()));
                }))
            .WithName($"TfServingModel{suffix}Status")
            .RequireAuthorization(Scopes.Predict)
            .WithSummary("The state of the model's versions (AVAILABLE, LOADING, UNLOADING, END).");
    }

    private static ModelVersionInfo Version(ModelInfo model, int version) =>
        model.Versions.FirstOrDefault(v => v.Version == version)
            ?? throw PlatformException.NotFound($"version {version} of model '{model.Name}' not found.");

    private static int Labelled(ModelInfo model, string label) =>
        model.Labels.TryGetValue(label, out var version)
            ? version
            : throw PlatformException.NotFound($"label '{label}' not found on model '{model.Name}'.");

    private static int ParseVersion(string model, string? version) =>
        int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw PlatformException.NotFound($"version '{version}' of model '{model}' not found.");
}
