using OrleansML.Storage;

namespace OrleansML.Scoring;

/// <summary>
/// The keys of a scoring job's Parquet output under its <c>outputUrl</c>, laid out as Spark's file committer does:
/// an attempt writes <c>_temporary/{attempt}/part-{unit}.parquet</c>, the coordinator moves the first successful
/// attempt of each unit to <c>part-{unit}.parquet</c>, and <c>_SUCCESS</c> marks the job done.
/// </summary>
public static class ParquetOutputFiles
{
    public const string Success = "_SUCCESS";

    public static string Committed(int unit) => $"part-{unit:D5}.parquet";

    /// <summary>The staged file of the attempt that writes under <paramref name="staging"/> (its last segment names the attempt).</summary>
    public static string Staged(string staging, int unit) => $"_temporary/{staging[(staging.LastIndexOf('/') + 1)..]}/part-{unit:D5}.parquet";

    public static async Task DeleteAsync(IArtifactStore store, IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            await store.DeleteAsync(key);
        }
    }
}
