using System.Text.Json;
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

        group.MapGet("/{model}/metadata", async (string model, ISender sender, CancellationToken cancellationToken) =>
                {
                    var info = await sender.Send(new GetModel(model), cancellationToken);
                    var version = Version(info, info.DefaultVersion ?? info.Versions.LastOrDefault()?.Version ?? 0);
                    return TypedResults.Ok(ModelMetadataDocument.From(model, version));
                })
            .WithName("TfServingModelMetadata")
            .RequireAuthorization(Scopes.Predict)
            .WithSummary("The model spec and its serving_default signature (inputs and outputs with dtype and shape).");

        return group;
    }

    private static void MapPredict(RouteGroupBuilder group, string route, string suffix, Func<string, string?, (int? Version, string? Label)> target)
    {
        group.MapPost(route, async (string model, HttpRequest request, ISender sender, IOptions<ApiLimits> limits, CancellationToken cancellationToken) =>
                {
                    var routeValue = (request.RouteValues["version"] ?? request.RouteValues["label"]) as string;
                    var (version, label) = target(model, routeValue);
                    using var body = await RequestBody.ReadJsonAsync(request, limits.Value.MaxPredictBytes, cancellationToken);
                    var predict = PredictRequestReader.Read(body.RootElement, limits.Value);
                    var prediction = await sender.Send(new Predict(model, predict.Inputs, version, label), cancellationToken);
                    return new JsonWriterResult(writer => Write(writer, prediction.Outputs, predict.Columnar));
                })
            .WithName($"TfServingPredict{suffix}")
            .RequireAuthorization(Scopes.Predict)
            .Accepts<JsonElement>("application/json")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .WithSummary("Predicts {\"instances\": [...]} → {\"predictions\": [...]} or {\"inputs\": ...} → {\"outputs\": ...}; several outputs come back named.");
    }

    /// <summary>
    /// As TF Serving answers: one output is the value itself; several are named, per instance in the row format
    /// (<c>[{"a": .., "b": ..}, ...]</c>) and per output in the columnar one (<c>{"a": .., "b": ..}</c>).
    /// </summary>
    private static void Write(Utf8JsonWriter writer, TensorData[] outputs, bool columnar)
    {
        writer.WriteStartObject();
        writer.WritePropertyName(columnar ? "outputs" : "predictions");
        if (outputs.Length == 1)
        {
            TensorJson.WriteValues(writer, outputs[0], nested: true);
        }
        else if (columnar)
        {
            writer.WriteStartObject();
            foreach (var output in outputs)
            {
                writer.WritePropertyName(output.Name);
                TensorJson.WriteValues(writer, output, nested: true);
            }

            writer.WriteEndObject();
        }
        else
        {
            writer.WriteStartArray();
            var rows = outputs[0].Shape.Length > 0 ? outputs[0].Shape[0] : 1;
            for (var row = 0; row < rows; row++)
            {
                writer.WriteStartObject();
                foreach (var output in outputs)
                {
                    writer.WritePropertyName(output.Name);
                    TensorJson.WriteValues(writer, output.Shape.Length > 0 ? TensorJson.RowOf(output, row) : output, nested: true);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void MapStatus(RouteGroupBuilder group, string route, string suffix, Func<ModelInfo, string?, IEnumerable<ModelVersionInfo>> versions)
    {
        group.MapGet(route, async (string model, HttpRequest request, ISender sender, CancellationToken cancellationToken) =>
                {
                    var info = await sender.Send(new GetModel(model), cancellationToken);
                    var routeValue = (request.RouteValues["version"] ?? request.RouteValues["label"]) as string;
                    return TypedResults.Ok(new ModelStatusResponse(versions(info, routeValue).Select(VersionStatus.From).ToArray()));
                })
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
