using System.Globalization;
using System.Text.Json;
using OrleansML.Api.Http;
using OrleansML.Errors;
using OrleansML.Serving;

namespace OrleansML.Api.KServe;

/// <summary>
/// Reads a V2 inference request: <c>{"id"?, "parameters"?, "inputs": [{"name", "shape", "datatype", "data" | "parameters":
/// {"binary_data_size"}}], "outputs"?: [{"name", "parameters"?: {"binary_data"}}]}</c>. With the binary tensor data
/// extension the JSON is the first <c>Inference-Header-Content-Length</c> bytes of the body and each input with a
/// <c>binary_data_size</c> takes that many bytes of the rest, in order (BYTES elements 4-byte length-prefixed).
/// </summary>
public static class InferRequestReader
{
    public const string HeaderLength = "Inference-Header-Content-Length";

    /// <summary>The inputs, the outputs wanted (null: all) and which of them are answered in binary.</summary>
    public sealed record InferRequest(string? Id, TensorData[] Inputs, string[]? Outputs, bool BinaryOutputs, IReadOnlySet<string> BinaryOutput);

    public static InferRequest Read(ReadOnlyMemory<byte> body, string? headerLength, ApiLimits limits)
    {
        var json = body;
        var binary = ReadOnlyMemory<byte>.Empty;
        if (headerLength is not null)
        {
            if (!int.TryParse(headerLength, NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length > body.Length || length == 0)
            {
                throw PlatformException.Invalid($"{HeaderLength} is '{headerLength}'; it must be the byte length of the JSON header, between 1 and the body's {body.Length} bytes.");
            }

            json = body[..length];
            binary = body[length..];
        }

        using var document = RequestBody.ParseJson(json);
        var root = document.RootElement;
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

        if (!root.TryGetProperty("inputs", out var inputs) || inputs.ValueKind != JsonValueKind.Array || inputs.GetArrayLength() == 0)
        {
            throw PlatformException.Invalid("the inference request needs an 'inputs' array with at least one input.");
        }

        var tensors = new List<TensorData>();
        var offset = 0;
        foreach (var input in inputs.EnumerateArray())
        {
            tensors.Add(ReadInput(input, binary, headerLength is not null, ref offset, limits));
        }

        if (offset != binary.Length)
        {
            throw PlatformException.Invalid($"the body has {binary.Length - offset} bytes after the JSON header that no input's binary_data_size claims.");
        }

        var binaryOutputs = Flag(root, "binary_data_output", "the request's");
        var (outputs, binaryOutput) = ReadOutputs(root, binaryOutputs);
        return new InferRequest(id, tensors.ToArray(), outputs, binaryOutputs, binaryOutput);
    }

    private static TensorData ReadInput(JsonElement input, ReadOnlyMemory<byte> binary, bool hasBinary, ref int offset, ApiLimits limits)
    {
        if (input.ValueKind != JsonValueKind.Object)
        {
            throw PlatformException.Invalid("each input must be an object with name, shape, datatype and data.");
        }

        var name = Required(input, "name", JsonValueKind.String).GetString()!;
        var datatype = Required(input, "datatype", JsonValueKind.String).GetString()!;
        var type = TensorDataTypes.Parse(datatype)
            ?? throw PlatformException.Invalid($"input '{name}' has datatype '{datatype}'; supported: {TensorDataTypes.Supported}.");
        var shape = Required(input, "shape", JsonValueKind.Array).EnumerateArray()
            .Select(d => d.ValueKind == JsonValueKind.Number && d.TryGetInt64(out var n) && n >= 0
                ? n
                : throw PlatformException.Invalid($"input '{name}' has a shape with {TensorJson.Describe(d)}; dimensions are non-negative integers."))
            .ToArray();
        // The declared shape is checked by arithmetic before the data is read: [1000000000, 1000000000] is a 400, not an allocation.
        var count = TensorJson.CheckElements(shape, $"input '{name}'", limits.MaxPredictElements);
        TensorJson.CheckRows(shape, $"input '{name}'", limits.MaxPredictRows);
        var size = BinarySize(input, name);
        var hasData = input.TryGetProperty("data", out var data);
        if (size is null)
        {
            return hasData
                ? TensorJson.ReadTyped(data, name, type, shape, limits)
                : throw PlatformException.Invalid($"input '{name}' has neither 'data' nor parameters.binary_data_size.");
        }

        if (hasData)
        {
            throw PlatformException.Invalid($"input '{name}' has both 'data' and parameters.binary_data_size; send its values one way.");
        }

        if (!hasBinary)
        {
            throw PlatformException.Invalid($"input '{name}' has parameters.binary_data_size but the request has no {HeaderLength} header, so no binary section.");
        }

        if (size > binary.Length - offset)
        {
            throw PlatformException.Invalid($"input '{name}' has binary_data_size {size}, more than the {binary.Length - offset} bytes left in the body.");
        }

        if (type != TensorDataType.Bytes && (long)count * type.ElementSize() != size)
        {
            throw PlatformException.Invalid($"input '{name}' has shape {SignatureCheck.Format(shape)} ({count} {datatype} values, {(long)count * type.ElementSize()} bytes) but binary_data_size {size}.");
        }

        // Every byte is overwritten by the copy: no need to zero the array first.
        var bytes = GC.AllocateUninitializedArray<byte>((int)size);
        binary.Slice(offset, (int)size).CopyTo(bytes);
        offset += (int)size;
        return new TensorData(name, type, shape, bytes);
    }

    private static long? BinarySize(JsonElement input, string name)
    {
        if (!input.TryGetProperty("parameters", out var parameters) || parameters.ValueKind == JsonValueKind.Null
            || !parameters.TryGetProperty("binary_data_size", out var size))
        {
            return null;
        }

        return size.ValueKind == JsonValueKind.Number && size.TryGetInt64(out var bytes) && bytes >= 0
            ? bytes
            : throw PlatformException.Invalid($"input '{name}' has binary_data_size {size.GetRawText()}; it must be a non-negative integer.");
    }

    private static (string[]? Names, IReadOnlySet<string> Binary) ReadOutputs(JsonElement root, bool binaryDefault)
    {
        var binary = new HashSet<string>(StringComparer.Ordinal);
        if (!root.TryGetProperty("outputs", out var outputs) || outputs.ValueKind == JsonValueKind.Null)
        {
            return (null, binary);
        }

        if (outputs.ValueKind != JsonValueKind.Array)
        {
            throw PlatformException.Invalid("'outputs' must be an array of {\"name\"} objects.");
        }

        var names = new List<string>();
        foreach (var output in outputs.EnumerateArray())
        {
            if (output.ValueKind != JsonValueKind.Object)
            {
                throw PlatformException.Invalid("each requested output must be an object with a 'name'.");
            }

            var name = Required(output, "name", JsonValueKind.String).GetString()!;
            names.Add(name);
            if (output.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object
                && parameters.TryGetProperty("binary_data", out _) ? Flag(output, "binary_data", $"output '{name}'") : binaryDefault)
            {
                binary.Add(name);
            }
        }

        return (names.ToArray(), binary);
    }

    /// <summary>A boolean in an object's <c>parameters</c>; false when absent.</summary>
    private static bool Flag(JsonElement owner, string parameter, string what)
    {
        if (!owner.TryGetProperty("parameters", out var parameters) || parameters.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        if (parameters.ValueKind != JsonValueKind.Object)
        {
            throw PlatformException.Invalid($"{what} 'parameters' must be an object.");
        }

        return !parameters.TryGetProperty(parameter, out var flag) ? false : flag.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw PlatformException.Invalid($"{what} parameter '{parameter}' must be a boolean, got {TensorJson.Describe(flag)}."),
        };
    }

    private static JsonElement Required(JsonElement element, string property, JsonValueKind kind) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == kind
            ? value
            : throw PlatformException.Invalid($"each input and requested output needs '{property}' as {(kind == JsonValueKind.Array ? "an array" : "a string")}.");
}
