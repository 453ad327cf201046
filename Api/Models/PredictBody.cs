using System.Text.Json;
using OrleansML.Api.Http;
using OrleansML.Errors;
using OrleansML.Serving;

namespace OrleansML.Api.Models;

/// <summary>
/// Reads <c>{"inputs": [[...], ...], "outputs"?: ["name"], "version"?: n, "label"?: "..."}</c>; a flat <c>inputs</c>
/// array is one row, and <c>{"inputs": {"a": [...], "b": [...]}}</c> names the inputs of a model that takes several.
/// Writes <c>{"model", "version", "outputs", "silo"}</c>: one output as its rows, several as an object of them by name.
/// </summary>
public static class PredictBody
{
    public static Predict Read(string name, JsonElement root, ApiLimits limits)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw PlatformException.Invalid($"the body must be a JSON object with 'inputs', got {TensorJson.Describe(root)}.");
        }

        if (!root.TryGetProperty("inputs", out var inputs))
        {
            throw PlatformException.Invalid("the body has no 'inputs'.");
        }

        int? version = null;
        if (root.TryGetProperty("version", out var v) && v.ValueKind != JsonValueKind.Null)
        {
            version = v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var number)
                ? number
                : throw PlatformException.Invalid($"'version' must be an integer, got {TensorJson.Describe(v)}.");
        }

        string? label = null;
        if (root.TryGetProperty("label", out var l) && l.ValueKind != JsonValueKind.Null)
        {
            label = l.ValueKind == JsonValueKind.String
                ? l.GetString()
                : throw PlatformException.Invalid($"'label' must be a string, got {TensorJson.Describe(l)}.");
        }

        string[]? outputs = null;
        if (root.TryGetProperty("outputs", out var o) && o.ValueKind != JsonValueKind.Null)
        {
            outputs = o.ValueKind == JsonValueKind.Array && o.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
                ? o.EnumerateArray().Select(e => e.GetString()!).ToArray()
                : throw PlatformException.Invalid($"'outputs' must be an array of output names, got {TensorJson.Describe(o)}.");
        }

        TensorData[] tensors = inputs.ValueKind == JsonValueKind.Object
            ? inputs.EnumerateObject().Select(p => TensorJson.ReadUntyped(p.Value, p.Name, $"inputs '{p.Name}'", limits, flatIsOneRow: true)).ToArray()
            : [TensorJson.ReadUntyped(inputs, "", "inputs", limits, flatIsOneRow: true)];
        return new Predict(name, tensors, version, label, outputs);
    }

    public static IResult Result(Prediction prediction) => new JsonWriterResult(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("model", prediction.Model);
        writer.WriteNumber("version", prediction.Version);
        writer.WritePropertyName("outputs");
        if (prediction.Outputs.Length == 1)
        {
            TensorJson.WriteValues(writer, prediction.Outputs[0], nested: true);
        }
        else
        {
            writer.WriteStartObject();
            foreach (var output in prediction.Outputs)
            {
                writer.WritePropertyName(output.Name);
                TensorJson.WriteValues(writer, output, nested: true);
            }

            writer.WriteEndObject();
        }

        writer.WriteString("silo", prediction.Silo);
        writer.WriteEndObject();
    });
}
