namespace OrleansML.Datasets.Import;

/// <summary>
/// Lays the rows of an import's files, in order, over partitions of a fixed size: partition <c>k</c> holds rows
/// <c>k * size</c> to <c>(k + 1) * size - 1</c> of the files put end to end, so it is the slices of the row groups
/// those rows fall in. Free of the cluster and of Parquet.
/// </summary>
public static class ImportPlan
{
    /// <summary>The slices of each partition; <paramref name="rowGroups"/> holds each file's row-group sizes.</summary>
    public static List<ParquetSlice[]> Partitions(IReadOnlyList<string> files, IReadOnlyList<long[]> rowGroups, int size)
    {
        var partitions = new List<ParquetSlice[]>();
        var current = new List<ParquetSlice>();
        var room = size;
        for (var f = 0; f < files.Count; f++)
        {
            for (var g = 0; g < rowGroups[f].Length; g++)
            {
                var skip = 0L;
                while (skip < rowGroups[f][g])
                {
                    var take = (int)Math.Min(room, rowGroups[f][g] - skip);
                    current.Add(new ParquetSlice(files[f], g, (int)skip, take));
                    skip += take;
                    room -= take;
                    if (room == 0)
                    {
                        partitions.Add([.. current]);
                        current.Clear();
                        room = size;
                    }
                }
            }
        }

        if (current.Count > 0)
        {
            partitions.Add([.. current]);
        }

        return partitions;
    }

    /// <summary>
    /// Groups consecutive partitions into work units so that no row group is split between two units: each unit's
    /// worker reads each of its row groups once, however many partitions a large row group spans.
    /// </summary>
    public static List<int[]> Units(IReadOnlyList<ParquetSlice[]> partitions)
    {
        var units = new List<int[]>();
        var current = new List<int>();
        for (var p = 0; p < partitions.Count; p++)
        {
            if (current.Count > 0 && !SameGroup(partitions[p - 1][^1], partitions[p][0]))
            {
                units.Add([.. current]);
                current.Clear();
            }

            current.Add(p);
        }

        if (current.Count > 0)
        {
            units.Add([.. current]);
        }

        return units;
    }

    private static bool SameGroup(ParquetSlice a, ParquetSlice b) => a.FileUrl == b.FileUrl && a.RowGroup == b.RowGroup;
}
