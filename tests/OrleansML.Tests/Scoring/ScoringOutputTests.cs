using OrleansML.Errors;
using OrleansML.Scoring;

namespace OrleansML.Tests.Scoring;

public sealed class ScoringOutputTests
{
    [Theory]
    [InlineData(10, 3)]
    [InlineData(10, 10)]
    [InlineData(10, 25)]
    [InlineData(1, 1)]
    public void Work_units_cover_every_storage_partition_once_in_contiguous_ranges(int partitions, int units)
    {
        var ranges = UnitLedger.Split(partitions, units);

        Assert.Equal(Math.Min(partitions, units), ranges.Count);
        Assert.Equal(Enumerable.Range(0, partitions), ranges.SelectMany(r => Enumerable.Range(r.First, r.Count)));
        Assert.All(ranges, r => Assert.InRange(r.Count, partitions / ranges.Count, partitions / ranges.Count + 1));
    }

    [Fact]
    public void A_classification_row_holds_the_id_softmax_probabilities_and_the_argmax_class()
    {
        var row = new float[ScoringOutput.Width(classification: true, outputs: 3)];

        ScoringOutput.WriteRow(41, [1.0, 3.0, 2.0], classification: true, row);

        var exp = new[] { Math.Exp(1), Math.Exp(3), Math.Exp(2) };
        Assert.Equal(41, row[0]);
        Assert.Equal(exp[1] / exp.Sum(), row[2], 5);
        Assert.Equal(1.0, row[1] + row[2] + row[3], 5);
        Assert.Equal(1, row[4]);
        var (columns, label) = ScoringOutput.Columns(true, 3);
        Assert.Equal(["id", "p0", "p1", "p2"], columns);
        Assert.Equal("class", label);
    }

    [Fact]
    public void Auto_output_is_classes_for_two_or_more_outputs_and_values_for_one()
    {
        Assert.True(ScoringOutput.IsClassification("auto", 2));
        Assert.False(ScoringOutput.IsClassification("auto", 1));
        Assert.False(ScoringOutput.IsClassification("values", 10));
        var (columns, label) = ScoringOutput.Columns(false, 1);
        Assert.Equal(["id"], columns);
        Assert.Equal("y0", label);
        Assert.Equal(ErrorKind.Invalid, Assert.Throws<PlatformException>(() => ScoringOutput.Validate("probabilities")).Kind);
    }
}
