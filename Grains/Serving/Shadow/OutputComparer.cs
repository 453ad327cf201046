namespace OrleansML.Serving;

/// <summary>How far one request's shadow outputs are from the answered ones (see <see cref="OutputComparer"/>).</summary>
public readonly record struct OutputDifference(long Rows, long RowsAgreed, long Values, double SumAbsDifference, double MaxAbsDifference);

/// <summary>
/// Compares a shadow version's outputs with the ones a request was answered with, output by output (by name):
/// a batched output row by row (a row agrees when its largest value sits at the same index), an unbatched output as
/// one row. Only numeric outputs of the same shape are compared; null when no output could be.
/// </summary>
public static class OutputComparer
{
    public static OutputDifference? Compare(IReadOnlyList<TensorData> answered, IReadOnlyList<TensorData> shadow, bool batched)
    {
        long rows = 0, agreed = 0, values = 0;
        double sum = 0, max = 0;
        foreach (var primary in answered)
        {
            var twin = shadow.FirstOrDefault(s => s.Name == primary.Name);
            if (twin is null || primary.DataType == TensorDataType.Bytes || twin.DataType == TensorDataType.Bytes
                || !primary.Shape.SequenceEqual(twin.Shape) || primary.ElementCount == 0)
            {
                continue;
            }

            var outputRows = batched && primary.Shape.Length > 0 ? primary.Shape[0] : 1;
            var width = primary.ElementCount / Math.Max(outputRows, 1);
            for (long row = 0; row < outputRows; row++)
            {
                var (argmaxA, argmaxB, bestA, bestB) = (0L, 0L, double.NegativeInfinity, double.NegativeInfinity);
                for (long column = 0; column < width; column++)
                {
                    var index = row * width + column;
                    var a = TensorValues.ToDouble(primary.DataType, primary.Data, index);
                    var b = TensorValues.ToDouble(twin.DataType, twin.Data, index);
                    (argmaxA, bestA) = a > bestA ? (column, a) : (argmaxA, bestA);
                    (argmaxB, bestB) = b > bestB ? (column, b) : (argmaxB, bestB);
                    var difference = Math.Abs(a - b);
                    if (!double.IsNaN(difference))
                    {
                        sum += difference;
                        max = Math.Max(max, difference);
                    }

                    values++;
                }

                rows++;
                agreed += argmaxA == argmaxB ? 1 : 0;
            }
        }

        return rows == 0 ? null : new OutputDifference(rows, agreed, values, sum, max);
    }
}
