using OrleansML.Datasets;
using OrleansML.Storage;

namespace OrleansML.Scoring;

/// <summary>
/// Moves a scoring job's output from the staging prefixes of its attempts to the output dataset's keys, and clears
/// what is left when the job ends. Free of the cluster: it works on the dataset store alone.
/// </summary>
/// <remarks>With <paramref name="parquet"/> (the store at the job's <c>outputUrl</c>) each unit's Parquet file is staged, committed and deleted with its partitions.</remarks>
public sealed class OutputCommitter(IDatasetStore datasets, ScoringJobState job, string outputPrefix, IArtifactStore? parquet = null)
{
    public string PartitionKey(int index) => $"{outputPrefix}/part-{index:D5}";

    private static string StagedKey(string staging, int partition) => $"{staging}/part-{partition:D5}";

    /// <summary>Whether every partition of <paramref name="range"/> is staged under <paramref name="staging"/>.</summary>
    public async Task<bool> StagedCompletelyAsync(string staging, PartitionRange range, int unit)
    {
        if (parquet is not null && !await parquet.ExistsAsync(ParquetOutputFiles.Staged(staging, unit)))
        {
            return false;
        }

        for (var p = range.First; p < range.First + range.Count; p++)
        {
            if (!await datasets.ExistsAsync(StagedKey(staging, p)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Moves the partitions of <paramref name="range"/> staged under <paramref name="staging"/> to their final keys.</summary>
    public async Task CommitAsync(string staging, PartitionRange range, int unit)
    {
        if (parquet is not null)
        {
            await parquet.MoveAsync(ParquetOutputFiles.Staged(staging, unit), ParquetOutputFiles.Committed(unit));
        }

        for (var p = range.First; p < range.First + range.Count; p++)
        {
            await datasets.MoveAsync(StagedKey(staging, p), PartitionKey(p));
        }
    }

    /// <summary>Deletes what given-up attempts may have staged (an attempt still running elsewhere may write after this).</summary>
    public async Task DeleteAbandonedAsync()
    {
        foreach (var staging in job.AbandonedStaging)
        {
            for (var p = 0; p < job.Input!.PartitionCount; p++)
            {
                await datasets.DeleteAsync(StagedKey(staging, p));
            }

            if (parquet is not null)
            {
                await ParquetOutputFiles.DeleteAsync(parquet, Enumerable.Range(0, job.Units.Count).Select(u => ParquetOutputFiles.Staged(staging, u)));
            }
        }

        job.AbandonedStaging.Clear();
    }

    /// <summary>Deletes every committed output partition (the job failed: its output is never registered).</summary>
    public async Task DeleteOutputAsync()
    {
        for (var p = 0; p < job.Input!.PartitionCount; p++)
        {
            await datasets.DeleteAsync(PartitionKey(p));
        }

        if (parquet is not null)
        {
            await ParquetOutputFiles.DeleteAsync(parquet, Enumerable.Range(0, job.Units.Count).Select(ParquetOutputFiles.Committed));
        }
    }

    /// <summary>Marks the Parquet output complete, as Spark's committer does, once the output dataset is registered.</summary>
    public async Task MarkSucceededAsync()
    {
        if (parquet is not null)
        {
            await parquet.WriteAsync(ParquetOutputFiles.Success, new MemoryStream());
        }
    }

    /// <summary>The output dataset as it is registered once every unit is committed.</summary>
    public DatasetInfo Output(string name)
    {
        var input = job.Input!;
        var (columns, label) = ScoringOutput.Columns(job.Classification, job.Outputs);
        return new DatasetInfo
        {
            Name = name,
            Rows = input.Rows,
            Columns = columns,
            Label = label,
            LabelClasses = job.Classification ? Enumerable.Range(0, job.Outputs).Select(k => (double)k).ToArray() : null,
            PartitionSize = input.PartitionSize,
            PartitionCount = input.PartitionCount,
            StoragePrefix = outputPrefix,
            CreatedAt = DateTimeOffset.UtcNow,
        };
    }
}
