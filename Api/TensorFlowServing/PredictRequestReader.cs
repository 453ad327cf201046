using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansML.Api.Http;
using OrleansML.Errors;
using OrleansML.Serving;

namespace OrleansML.Api.TensorFlowServing;

/// <summary>
/// Reads a TF Serving predict body: row format <c>{"instances": [...]}</c> (each instance a value, or an object
/// naming the model's inputs) or columnar <c>{"inputs": value}</c> (or <c>{"inputs": {"name": value, ...}}</c>),
/// batch first. Values are numbers, booleans or strings; the silo converts numbers to the model's datatypes.
/// </summary>
public static class PredictRequestReader
{
    public sealed record TfPredict(TensorData[] Inputs, bool Columnar);

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
            ? new TfPredict(Rows(instances, limits), Columnar: false)
            : new TfPredict(Columns(inputs, limits), Columnar: true);
    }

    /// <summary>Instances given as objects ({"a": [...], "b": [...]}) become one batch per named input.</summary>
    private static TensorData[] Rows(JsonElement instances, ApiLimits limits)
    {
        if (instances.ValueKind != JsonValueKind.Array || instances.GetArrayLength() == 0 || instances[0].ValueKind != JsonValueKind.Object)
        {
            return [TensorJson.ReadUntyped(instances, "", "instances", limits, flatIsOneRow: false)];
        }

        var names = instances[0].EnumerateObject().Select(p => p.Name).ToArray();
        var columns = names.ToDictionary(n => n, _ => new JsonArray());
        var index = 0;
        foreach (var instance in instances.EnumerateArray())
        {
            if (instance.ValueKind != JsonValueKind.Object)
            {
                throw PlatformException.Invalid($"instances[{index}] is {TensorJson.Describe(instance)}; when the first instance is an object, every instance is one.");
            }

            var properties = instance.EnumerateObject().ToArray();
            if (properties.Length != names.Length || properties.Any(p => !columns.ContainsKey(p.Name)))
            {
                throw PlatformException.Invalid($"instances[{index}] names the inputs {string.Join(", ", properties.Select(p => $"'{p.Name}'"))}; every instance names the same inputs as the first ({string.Join(", ", names.Select(n => $"'{n}'"))}).");
            }

            foreach (var property in properties)
            {
                columns[property.Name].Add(JsonNode.Parse(property.Value.GetRawText()));
            }

            index++;
        }

        var unnamed = names.Length == 1;
        return names.Select(n => TensorJson.ReadUntyped(JsonSerializer.SerializeToElement(columns[n]), unnamed ? "" : n, $"instances '{n}'", limits, flatIsOneRow: false)).ToArray();
    }

    private static TensorData[] Columns(JsonElement inputs, ApiLimits limits)
    {
        if (inputs.ValueKind != JsonValueKind.Object)
        {
            return [TensorJson.ReadUntyped(inputs, "", "inputs", limits, flatIsOneRow: false)];
        }

        var properties = inputs.EnumerateObject().ToArray();
        if (properties.Length == 0)
        {
            throw PlatformException.Invalid("'inputs' is an empty object; name the model's inputs.");
        }

        var unnamed = properties.Length == 1;
        return properties.Select(p => TensorJson.ReadUntyped(p.Value, unnamed ? "" : p.Name, $"inputs '{p.Name}'", limits, flatIsOneRow: false)).ToArray();
    }
}
