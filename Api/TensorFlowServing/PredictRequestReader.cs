using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansML.Api.Http;
using OrleansML.Errors;
using OrleansML.Serving;

namespace OrleansML.Api.TensorFlowServing;

/// <summary>
/// Reads a TF Serving predict body: row format <c>{"instances": [...]}</c> (each instance a value, or an object
/// naming the one input) or columnar <c>{"inputs": value}</c> (or <c>{"inputs": {"name": value}}</c>), batch first.
/// </summary>
public static class PredictRequestReader
{
    public sealed record TfPredict(TensorData Input, bool Columnar);

    public static TfPredict Read(JsonElement root, ApiLimits limits)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw PlatformException.Invalid($"the predict request must be a JSON object, got {TensorJson.Describe(root)}.");
        }

        var hasInstances = root.TryGetProperty("instances", out var instances);
        var hasInputs = root.TryGetProperty("inputs", out var inputs);
        if (hasInstances == hasInputs)
        {
            throw PlatformException.Invalid("the predict request needs exactly one of 'instances' (row format) or 'inputs' (columnar format).");
        }

        return hasInstances
            ? new TfPredict(TensorJson.ReadRows(Rows(instances), "instances", limits, flatIsOneRow: false), Columnar: false)
            : new TfPredict(TensorJson.ReadRows(SingleInput(inputs, "inputs"), "inputs", limits, flatIsOneRow: false), Columnar: true);
    }

    /// <summary>Instances given as objects ({"input": [...]}) become their one value each.</summary>
    private static JsonElement Rows(JsonElement instances)
    {
        if (instances.ValueKind != JsonValueKind.Array || instances.GetArrayLength() == 0 || instances[0].ValueKind != JsonValueKind.Object)
        {
            return instances;
        }

        var rows = new JsonArray();
        var index = 0;
        foreach (var instance in instances.EnumerateArray())
        {
            rows.Add(JsonNode.Parse(SingleInput(instance, $"instances[{index++}]").GetRawText()));
        }

        return JsonSerializer.SerializeToElement(rows);
    }

    private static JsonElement SingleInput(JsonElement value, string what)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return value;
        }

        var properties = value.EnumerateObject().ToArray();
        return properties.Length == 1
            ? properties[0].Value
            : throw PlatformException.Invalid($"{what} names {properties.Length} inputs; OrleansML models take exactly one.");
    }
}
