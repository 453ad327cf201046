using System.Text.Json;
using OrleansML.Api.Http;
using OrleansML.Errors;
using OrleansML.Serving;

namespace OrleansML.Api.KServe;

/// <summary>
/// Reads a V2 inference request: <c>{"id"?, "inputs": [{"name", "shape", "datatype", "data"}], "outputs"?: [{"name"}]}</c>.
/// <c>data</c> may be flat (row-major) or nested; either way it must hold exactly the values <c>shape</c> declares.
/// </summary>
public static class InferRequestReader
{
    public sealed record InferRequest(string? Id, TensorData Input, string[]? Outputs);

    public static InferRequest Read(JsonElement root, ApiLimits limits)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw PlatformException.Invalid($"the inference request must be a JSON object, got {TensorJson.Describe(root)}.");
        }

        string? id = null;
        if (root.TryGetProperty("id", out var idElement) && idElement.ValueKind != JsonValueKind.Null)
        {
            id = idElement.ValueKind == JsonValueKind.String
                ? idElement.GetString()
                : throw PlatformException.Invalid($"'id' must be a string, got {TensorJson.Describe(idElement)}.");
        }

        if (!root.TryGetProperty("inputs", out var inputs) || inputs.ValueKind != JsonValueKind.Array)
        {
            throw PlatformException.Invalid("the inference request needs an 'inputs' array.");
        }

        if (inputs.GetArrayLength() != 1)
        {
            throw PlatformException.Invalid($"the inference request has {inputs.GetArrayLength()} inputs; OrleansML models take exactly one.");
        }

        return new InferRequest(id, ReadInput(inputs[0], limits), ReadOutputs(root));
    }

    private static TensorData ReadInput(JsonElement input, ApiLimits limits)
    {
        if (input.ValueKind != JsonValueKind.Object)
        {
            throw PlatformException.Invalid("each input must be an object with name, shape, datatype and data.");
        }

        var name = Required(input, "name", JsonValueKind.String).GetString()!;
        var dataType = Required(input, "datatype", JsonValueKind.String).GetString()!;
        if (!SignatureCheck.DataTypes.Contains(dataType))
        {
            throw PlatformException.Invalid($"input '{name}' has datatype '{dataType}'; supported: {string.Join(", ", SignatureCheck.DataTypes)}.");
        }

        var shape = Required(input, "shape", JsonValueKind.Array).EnumerateArray()
            .Select(d => d.ValueKind == JsonValueKind.Number && d.TryGetInt64(out var n) && n >= 0
                ? n
                : throw PlatformException.Invalid($"input '{name}' has a shape with {TensorJson.Describe(d)}; dimensions are non-negative integers."))
            .ToArray();
        // The declared shape is checked by arithmetic before the data is read: [1000000000, 1000000000] is a 400, not an allocation.
        var expected = TensorJson.CheckElements(shape, $"input '{name}'", limits.MaxPredictElements);
        var (dataShape, data) = TensorJson.Read(Required(input, "data", JsonValueKind.Array), $"input '{name}' data", limits.MaxPredictElements, integers: !SignatureCheck.IsFloat(dataType));
        if (dataShape.Length > 1 && !dataShape.SequenceEqual(shape))
        {
            throw PlatformException.Invalid($"input '{name}' has nested data of shape {SignatureCheck.Format(dataShape)} but declares shape {SignatureCheck.Format(shape)}.");
        }

        if (shape.Length == 0 || expected != data.Length)
        {
            throw PlatformException.Invalid($"input '{name}' declares shape {SignatureCheck.Format(shape)} ({expected} values) but its data holds {data.Length}.");
        }

        TensorJson.CheckRows(shape, $"input '{name}'", limits.MaxPredictRows);
        if (dataType == "INT32" && data.Any(v => v is < int.MinValue or > int.MaxValue))
        {
            throw PlatformException.Invalid($"input '{name}' is INT32 but holds values outside the 32-bit range.");
        }

        return new TensorData(name, dataType, shape, data);
    }

    private static string[]? ReadOutputs(JsonElement root)
    {
        if (!root.TryGetProperty("outputs", out var outputs) || outputs.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (outputs.ValueKind != JsonValueKind.Array)
        {
            throw PlatformException.Invalid("'outputs' must be an array of {\"name\"} objects.");
        }

        return outputs.EnumerateArray().Select(o => o.ValueKind == JsonValueKind.Object
            ? Required(o, "name", JsonValueKind.String).GetString()!
            : throw PlatformException.Invalid("each requested output must be an object with a 'name'.")).ToArray();
    }

    private static JsonElement Required(JsonElement element, string property, JsonValueKind kind) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == kind
            ? value
            : throw PlatformException.Invalid($"each input needs '{property}' as {(kind == JsonValueKind.Array ? "an array" : "a string")}.");
}
