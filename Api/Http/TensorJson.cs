using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansML.Errors;
using OrleansML.Serving;

namespace OrleansML.Api.Http;

/// <summary>
/// JSON ⇄ <see cref="TensorData"/> for every protocol (native, KServe V2, TF Serving). Tensors arrive as numbers in
/// nested arrays, rows first; arrays must be rectangular and hold only finite numbers. JSON has no NaN or Infinity,
/// and strings such as "NaN" are not numbers, so a non-finite value can never reach a model: it is a 400.
/// </summary>
public static class TensorJson
{
    /// <summary>Integers up to 2^53 survive the trip through <see cref="TensorData"/>'s doubles exactly.</summary>
    private const double MaxExactInteger = 9_007_199_254_740_992;

    private const int MaxRank = 16;

    /// <summary>
    /// The shape and row-major values of a number or a (nested) array; <paramref name="what"/> names it in errors.
    /// The shape comes from each level's first element, so its size is checked against
    /// <paramref name="maxElements"/> before the values are allocated: a ragged array can declare far more than it holds.
    /// </summary>
    public static (long[] Shape, double[] Data) Read(JsonElement value, string what, long maxElements, bool integers = false)
    {
        var shape = new List<long>();
        var probe = value;
        while (probe.ValueKind == JsonValueKind.Array)
        {
            var length = probe.GetArrayLength();
            if (length == 0)
            {
                throw PlatformException.Invalid($"{what} contains an empty array; tensors need at least one value per dimension.");
            }

            if (shape.Count == MaxRank)
            {
                throw PlatformException.Invalid($"{what} is nested deeper than {MaxRank} dimensions.");
            }

            shape.Add(length);
            probe = probe[0];
        }

        var data = new double[CheckElements(shape, what, maxElements)];
        var offset = 0;
        Fill(value, shape, 0, what, integers, data, ref offset);
        return (shape.ToArray(), data);
    }

    /// <summary>
    /// The number of values <paramref name="shape"/> holds, refused with a 400 naming the limit when it is over
    /// <paramref name="maxElements"/>. Division instead of multiplication, so no shape can overflow the count.
    /// </summary>
    public static int CheckElements(IReadOnlyList<long> shape, string what, long maxElements)
    {
        var limit = Math.Min(maxElements, Array.MaxLength);
        long count = 1;
        foreach (var size in shape)
        {
            if (size != 0 && count > limit / size)
            {
                throw PlatformException.Invalid(
                    $"{what} has shape {SignatureCheck.Format(shape)}, more than the limit of {maxElements} values (OrleansML:Limits:MaxPredictElements).");
            }

            count *= size;
        }

        return (int)count;
    }

    /// <summary>
    /// A batch of rows for the native and TF Serving APIs: a nested array whose first dimension is the batch
    /// (<paramref name="flatIsOneRow"/>: a flat array is one row). The data type is INT64 when every value is an
    /// integer, else FP64; the model converts to its own type, and refuses fractions for integer inputs.
    /// </summary>
    public static TensorData ReadRows(JsonElement value, string what, ApiLimits limits, bool flatIsOneRow)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw PlatformException.Invalid($"{what} must be an array of rows, got {Describe(value)}.");
        }

        var (shape, data) = Read(value, what, limits.MaxPredictElements);
        if (flatIsOneRow && shape.Length == 1)
        {
            shape = [1, shape[0]];
        }

        CheckRows(shape, what, limits.MaxPredictRows);
        var integral = data.All(v => Math.Abs(v) <= MaxExactInteger && Math.Floor(v) == v);
        return new TensorData("input", integral ? "INT64" : "FP64", shape, data);
    }

    public static void CheckRows(long[] shape, string what, int maxRows)
    {
        if (shape.Length > 0 && shape[0] > maxRows)
        {
            throw PlatformException.Invalid($"{what} has {shape[0]} rows; the limit is {maxRows} (OrleansML:Limits:MaxPredictRows).");
        }
    }

    /// <summary>A tensor as nested arrays following its shape (rows first).</summary>
    public static JsonNode ToNested(TensorData tensor)
    {
        if (tensor.Shape.Length == 0)
        {
            return JsonValue.Create(tensor.Data[0]);
        }

        var offset = 0;
        return Nest(tensor.Data, tensor.Shape, 0, ref offset);
    }

    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string {value.GetRawText()}",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {value.GetRawText()}",
        _ => "null",
    };

    private static void Fill(JsonElement value, List<long> shape, int depth, string path, bool integers, double[] data, ref int offset)
    {
        if (depth == shape.Count)
        {
            data[offset++] = Number(value, path, integers);
            return;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw PlatformException.Invalid($"{path} is {Describe(value)} where an array of {shape[depth]} was expected; arrays must be rectangular.");
        }

        if (value.GetArrayLength() != shape[depth])
        {
            throw PlatformException.Invalid($"{path} has {value.GetArrayLength()} elements where {shape[depth]} were expected; ragged arrays are not tensors.");
        }

        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            Fill(item, shape, depth + 1, $"{path}[{index++}]", integers, data, ref offset);
        }
    }

    private static double Number(JsonElement value, string path, bool integers)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            throw PlatformException.Invalid($"{path} is an array where a number was expected; arrays must be rectangular.");
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            throw PlatformException.Invalid($"{path} is {Describe(value)}; only finite numbers are accepted.");
        }

        if (integers)
        {
            return value.TryGetInt64(out var integer) && Math.Abs((double)integer) <= MaxExactInteger
                ? integer
                : throw PlatformException.Invalid($"{path} is {value.GetRawText()}, not an integer within ±2^53, as an integer datatype needs.");
        }

        return value.TryGetDouble(out var number) && double.IsFinite(number)
            ? number
            : throw PlatformException.Invalid($"{path} is {value.GetRawText()}, which is not a finite number.");
    }

    private static JsonArray Nest(double[] data, long[] shape, int depth, ref int offset)
    {
        var array = new JsonArray();
        for (var i = 0; i < shape[depth]; i++)
        {
            array.Add(depth == shape.Length - 1 ? JsonValue.Create(data[offset++]) : Nest(data, shape, depth + 1, ref offset));
        }

        return array;
    }
}
