using System.Text.Json;
using OrleansML.Api.Http;
using OrleansML.Errors;

namespace OrleansML.Api.Models;

/// <summary>Reads <c>{"inputs": [[...], ...], "version"?: n, "label"?: "..."}</c>; a flat <c>inputs</c> array is one row.</summary>
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

        return new Predict(name, TensorJson.ReadRows(inputs, "inputs", limits, flatIsOneRow: true), version, label);
    }
}
