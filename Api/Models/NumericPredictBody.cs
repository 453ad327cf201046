using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;
using OrleansML.Api.Http;
using OrleansML.Serving;

namespace OrleansML.Api.Models;

/// <summary>
/// The common native predict body, <c>{"inputs": [[numbers], ...]}</c> (or one flat row, with the optional
/// <c>version</c>, <c>label</c> and <c>outputs</c>), read in one pass with <see cref="Utf8JsonReader"/> straight into
/// the tensor's buffer: no document, no element per value. It answers only bodies it reads exactly as
/// <see cref="PredictBody.Read"/> would (the same tensor: FP64, or INT64 when every value is an integer); for
/// anything else — named inputs, strings or booleans, a ragged or deeper array, a limit passed, escapes, malformed
/// JSON — it returns null and the document reader answers, with its errors.
/// </summary>
public static class NumericPredictBody
{
    private static readonly string[] Known = ["inputs", "version", "label", "outputs"];

    public static Predict? TryRead(string name, ReadOnlySpan<byte> body, ApiLimits limits)
    {
        if (CanonicalRows.TryScan(body, limits) is { } rows)
        {
            return new Predict(name, [rows]);
        }

        // Escaped text may hold lone surrogates, and invalid UTF-8 has its own message: both are the reader's to judge.
        if (!Utf8.IsValid(body) || body.IndexOf((byte)'\\') >= 0)
        {
            return null;
        }

        try
        {
            return Read(name, new Utf8JsonReader(body), limits);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Predict? Read(string name, Utf8JsonReader reader, ApiLimits limits)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        TensorData? inputs = null;
        int? version = null;
        string? label = null;
        string[]? outputs = null;
        var seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = reader.GetString()!;
            var known = Array.IndexOf(Known, property);
            if ((known >= 0 && (seen & (1 << known)) != 0) || !reader.Read())
            {
                return null; // a known property twice: which one counts is the document reader's rule
            }

            seen |= known >= 0 ? 1 << known : 0;

            switch (property)
            {
                case "inputs":
                    if ((inputs = Rows(ref reader, limits)) is null)
                    {
                        return null;
                    }

                    break;
                case "version" when reader.TokenType == JsonTokenType.Null:
                case "label" when reader.TokenType == JsonTokenType.Null:
                case "outputs" when reader.TokenType == JsonTokenType.Null:
                    break;
                case "version" when reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var number):
                    version = number;
                    break;
                case "label" when reader.TokenType == JsonTokenType.String:
                    label = reader.GetString();
                    break;
                case "outputs" when reader.TokenType == JsonTokenType.StartArray:
                    if ((outputs = Names(ref reader)) is null)
                    {
                        return null;
                    }

                    break;
                case "version" or "label" or "outputs":
                    return null;
                default:
                    reader.Skip();
                    break;
            }
        }

        // The object must be closed and nothing may follow it (Read throws on trailing content).
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read() || inputs is null)
        {
            return null;
        }

        return new Predict(name, [inputs], version, label, outputs);
    }

    /// <summary>A flat row or a rectangular array of rows of numbers, within the limits; null for anything else.</summary>
    private static TensorData? Rows(ref Utf8JsonReader reader, ApiLimits limits)
    {
        if (reader.TokenType != JsonTokenType.StartArray || !reader.Read())
        {
            return null;
        }

        var nested = reader.TokenType == JsonTokenType.StartArray;
        var limit = Math.Min(limits.MaxPredictElements, Array.MaxLength / sizeof(double));
        var values = new List<double>(256);
        var integers = new List<long>(256);
        var allIntegers = true;
        var rows = 0;
        var width = -1;
        while (reader.TokenType != JsonTokenType.EndArray)
        {
            if (nested)
            {
                if (reader.TokenType != JsonTokenType.StartArray || !reader.Read())
                {
                    return null;
                }
            }

            var count = 0;
            while (reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var value) || !double.IsFinite(value)
                    || values.Count == limit)
                {
                    return null;
                }

                values.Add(value);
                if (allIntegers)
                {
                    // As the document reader decides: INT64 when every value reads as one (and is within ±9.2e18).
                    allIntegers = reader.TryGetInt64(out var integer) && Math.Abs(value) <= 9.2e18;
                    integers.Add(integer);
                }

                count++;
                if (!reader.Read())
                {
                    return null;
                }
            }

            if (!nested)
            {
                (rows, width) = (1, count);
                break;
            }

            if (count == 0 || (width >= 0 && count != width) || ++rows > limits.MaxPredictRows || !reader.Read())
            {
                return null;
            }

            width = count;
        }

        if (rows == 0 || width <= 0)
        {
            return null;
        }

        long[] shape = [rows, width];
        return allIntegers
            ? new TensorData("", TensorDataType.Int64, shape, MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(integers)).ToArray())
            : new TensorData("", TensorDataType.FP64, shape, MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(values)).ToArray());
    }

    private static string[]? Names(ref Utf8JsonReader reader)
    {
        var names = new List<string>();
        while (reader.Read() && reader.TokenType == JsonTokenType.String)
        {
            names.Add(reader.GetString()!);
        }

        return reader.TokenType == JsonTokenType.EndArray ? names.ToArray() : null;
    }
}
