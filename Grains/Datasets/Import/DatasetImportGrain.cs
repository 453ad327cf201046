using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansML.Errors;
using OrleansML.Serving;
using OrleansML.Storage;

namespace OrleansML.Datasets.Import;

/// <summary>
/// Runs one import: lists the URL's files on this silo, has a worker per file read its schema and row groups, checks
/// every file has the same columns, lays the rows over partitions (<see cref="ImportPlan"/>) and has a worker per
/// unit of partitions read and write them, at most <see cref="DatasetImportOptions.Parallelism"/> at once. The
/// dataset is registered only when every partition is written; any refusal deletes what was written.
/// </summary>
public sealed partial class DatasetImportGrain(DatasetSources sources, IDatasetStore datasets, IOptions<DatasetImportOptions> options, ILogger<DatasetImportGrain> logger)
    : Grain, IDatasetImportGrain
{
    private const int MaxFiles = 100_000;

    public async Task<DatasetInfo> ImportAsync(DatasetImportSpec spec)
    {
        DeactivateOnIdle();
        ResourceNames.Validate(spec.Name, "dataset");
        if (string.IsNullOrWhiteSpace(spec.Label))
        {
            throw PlatformException.Invalid("'label' names the label column and is required.");
        }

        var url = SourceUrl.Parse(spec.Url);
        var files = await sources.ListAsync(url);
        if (files.Length > MaxFiles)
        {
            throw PlatformException.Invalid($"{SourceUrl.Quote(spec.Url)} matches {files.Length} files; an import takes at most {MaxFiles}.");
        }

        var shapes = await ForEachAsync(files, (file, i) => Worker($"inspect/{i}").InspectAsync(file, spec.Label));
        for (var f = 1; f < files.Length; f++)
        {
            if (!shapes[f].Columns.SequenceEqual(shapes[0].Columns))
            {
                throw PlatformException.Invalid(
                    $"{SourceUrl.Quote(files[f])} has columns [{string.Join(", ", shapes[f].Columns.Take(20))}]; {SourceUrl.Quote(files[0])} has [{string.Join(", ", shapes[0].Columns.Take(20))}]: every file must have the same columns in the same order.");
            }
        }

        var rows = shapes.Sum(s => s.RowGroupRows.Sum());
        if (rows == 0)
        {
            throw PlatformException.Invalid($"the dataset is empty: the files {SourceUrl.Quote(spec.Url)} matches have no rows.");
        }

        var size = options.Value.PartitionRows;
        var prefix = $"datasets/{spec.Name}/{Guid.NewGuid():N}";
        var partitions = ImportPlan.Partitions(files, shapes.Select(s => s.RowGroupRows).ToArray(), size);
        var units = ImportPlan.Units(partitions);
        try
        {
            var written = await ForEachAsync(units, (unit, u) => Worker($"unit/{u}").WriteAsync(new ParquetUnitWork(
                unit.Select(p => new ParquetPartition($"{prefix}/part-{p:D5}", partitions[p])).ToArray(), shapes[0].Columns, shapes[0].Label)));
            var classes = written.All(w => w.Classes is not null) ? written.SelectMany(w => w.Classes!).Distinct().Order().ToArray() : null;
            var dataset = new DatasetInfo
            {
                Name = spec.Name,
                Rows = rows,
                Columns = shapes[0].Columns,
                Label = shapes[0].Label,
                LabelClasses = classes is { Length: <= 10_000 } ? classes : null,
                PartitionSize = size,
                PartitionCount = partitions.Count,
                StoragePrefix = prefix,
                CreatedAt = DateTimeOffset.UtcNow,
            };
            var registered = await GrainFactory.GetGrain<IDatasetGrain>(spec.Name).RegisterAsync(dataset);
            LogImported(logger, spec.Name, rows, files.Length, partitions.Count, written.Select(w => w.Silo).Distinct().Count());
            return registered;
        }
        catch
        {
            for (var p = 0; p < partitions.Count; p++)
            {
                await datasets.DeleteAsync($"{prefix}/part-{p:D5}");
            }

            throw;
        }
    }

    private IParquetPartitionGrain Worker(string what) => GrainFactory.GetGrain<IParquetPartitionGrain>($"{this.GetPrimaryKeyString()}/{what}");

    /// <summary>Calls <paramref name="call"/> for every item, at most <see cref="DatasetImportOptions.Parallelism"/> at once, and keeps the results in order.</summary>
    private async Task<TResult[]> ForEachAsync<T, TResult>(IReadOnlyList<T> items, Func<T, int, Task<TResult>> call)
    {
        using var slots = new SemaphoreSlim(Math.Max(1, options.Value.Parallelism));
        return await Task.WhenAll(items.Select(async (item, i) =>
        {
            await slots.WaitAsync();
            try
            {
                return await call(item, i);
            }
            finally
            {
                slots.Release();
            }
        }));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Imported dataset {Dataset}: {Rows} rows from {Files} Parquet files in {Partitions} partitions, written on {Silos} silos")]
    private static partial void LogImported(ILogger logger, string dataset, long rows, int files, int partitions, int silos);
}
