using OrleansML.Errors;

namespace OrleansML.Scoring;

/// <summary>
/// The layout of a scoring job's output rows: <c>id</c> (the input row index), then for a classifier the softmax
/// probabilities <c>p0..pK-1</c> and the label column <c>class</c> (argmax), or for values <c>y0..yK-1</c> with the
/// last value as the label column. Rows are stored like any dataset (features, then the label) as float32, so ids
/// are exact below 2^24 rows.
/// </summary>
public static class ScoringOutput
{
    public const long MaxRows = 1L << 24;

    public static string Validate(string? output) => output?.ToLowerInvariant() switch
    {
        null or "" or "auto" => "auto",
        "classes" => "classes",
        "values" => "values",
        _ => throw PlatformException.Invalid($"output '{output}' is not one of auto, classes, values."),
    };

    public static bool IsClassification(string output, int outputs) => output switch
    {
        "classes" => true,
        "values" => false,
        _ => outputs >= 2,
    };

    /// <summary>Values stored per row (features then label).</summary>
    public static int Width(bool classification, int outputs) => classification ? outputs + 2 : outputs + 1;

    /// <summary>The feature columns and the label column of the output dataset.</summary>
    public static (string[] Columns, string Label) Columns(bool classification, int outputs) => classification
        ? (["id", .. Enumerable.Range(0, outputs).Select(k => $"p{k}")], "class")
        : (["id", .. Enumerable.Range(0, outputs - 1).Select(k => $"y{k}")], $"y{outputs - 1}");

    /// <summary>Writes one output row for input row <paramref name="id"/> from its model outputs.</summary>
    public static void WriteRow(long id, ReadOnlySpan<double> outputs, bool classification, Span<float> row)
    {
        row[0] = id;
        if (!classification)
        {
            for (var k = 0; k < outputs.Length; k++)
            {
                row[k + 1] = (float)outputs[k];
            }

            return;
        }

        var best = 0;
        var max = double.NegativeInfinity;
        for (var k = 0; k < outputs.Length; k++)
        {
            if (outputs[k] > max)
            {
                (max, best) = (outputs[k], k);
            }
        }

        var sum = 0.0;
        for (var k = 0; k < outputs.Length; k++)
        {
            sum += Math.Exp(outputs[k] - max);
        }

        for (var k = 0; k < outputs.Length; k++)
        {
            row[k + 1] = (float)(Math.Exp(outputs[k] - max) / sum);
        }

        row[outputs.Length + 1] = best;
    }
}
