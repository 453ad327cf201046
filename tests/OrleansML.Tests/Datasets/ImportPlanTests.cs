using OrleansML.Datasets.Import;

namespace OrleansML.Tests.Datasets;

public sealed class ImportPlanTests
{
    private static readonly string[] Files = ["a", "b", "c"];

    [Fact]
    public void Partitions_cover_every_row_once_in_file_order_and_straddle_files_and_row_groups()
    {
        long[][] groups = [[300, 900], [1, 1499], [1123]];

        var partitions = ImportPlan.Partitions(Files, groups, 500);

        Assert.Equal(8, partitions.Count);
        Assert.All(partitions[..^1], p => Assert.Equal(500, p.Sum(s => s.Take)));
        Assert.Equal(3823 - 7 * 500, partitions[^1].Sum(s => s.Take));
        // Row by row, the slices walk each file's row groups in order with no gap and no overlap.
        var walked = partitions.SelectMany(p => p).GroupBy(s => (s.FileUrl, s.RowGroup))
            .Select(g => (g.Key, Rows: g.Sum(s => s.Take), Contiguous: g.Zip(g.Skip(1)).All(x => x.First.Skip + x.First.Take == x.Second.Skip))).ToArray();
        Assert.Equal(new[] { ("a", 0), ("a", 1), ("b", 0), ("b", 1), ("c", 0) }, walked.Select(w => w.Key));
        Assert.Equal(new long[] { 300, 900, 1, 1499, 1123 }, walked.Select(w => (long)w.Rows));
        Assert.All(walked, w => Assert.True(w.Contiguous));
        Assert.Equal(new[] { new ParquetSlice("a", 0, 0, 300), new ParquetSlice("a", 1, 0, 200) }, partitions[0]);
    }

    [Fact]
    public void Units_never_split_a_row_group_so_each_is_read_once()
    {
        long[][] groups = [[1200], [10, 10], [5000]];

        var partitions = ImportPlan.Partitions(Files, groups, 500);
        var units = ImportPlan.Units(partitions);

        Assert.Equal(Enumerable.Range(0, partitions.Count), units.SelectMany(u => u));
        var owners = units.SelectMany((u, i) => u.SelectMany(p => partitions[p]).Select(s => (s.FileUrl, s.RowGroup, Unit: i)))
            .GroupBy(s => (s.FileUrl, s.RowGroup)).ToArray();
        Assert.All(owners, o => Assert.Single(o.Select(s => s.Unit).Distinct()));
        // The 1200-row group spans partitions 0-2, and partition 2 also holds file b and the start of file c's group,
        // which runs to the end: one unit in all.
        Assert.Single(units);
    }

    [Fact]
    public void Partitions_that_end_on_a_row_group_boundary_start_new_units()
    {
        long[][] groups = [[500, 500], [1000]];

        var units = ImportPlan.Units(ImportPlan.Partitions(Files[..2], groups, 500));

        Assert.Equal(new[] { "0", "1", "2,3" }, units.Select(u => string.Join(",", u)));
    }
}
