using Mediator;
using OrleansML.Datasets;
using OrleansML.Datasets.Parquet;
using OrleansML.Serving;
using OrleansML.Storage;

namespace OrleansML.Api.Datasets;

/// <summary>Stores an uploaded CSV or Parquet body as a dataset, replacing any dataset of that name.</summary>
public sealed record UploadDataset(string Name, string Label, Stream Body, DatasetFormat Format = DatasetFormat.Csv) : IRequest<DatasetInfo>;

/// <summary>Imports the Parquet files <paramref name="Url"/> matches as dataset <paramref name="Name"/>; the silos read them, never this process.</summary>
public sealed record ImportDataset(string Name, string Url, string Label) : IRequest<DatasetInfo>;

/// <summary>The body of <c>POST /api/datasets/{name}/import</c>.</summary>
public sealed record ImportDatasetBody(string? Url, string? Label);

public sealed record ListDatasets : IRequest<DatasetInfo[]>;

public sealed record GetDataset(string Name) : IRequest<DatasetInfo?>;

/// <summary>A dataset's rows as CSV: null when there is none by that name.</summary>
public sealed record GetDatasetContent(string Name) : IRequest<DatasetContent?>;

/// <summary>A dataset and a writer that streams it as CSV partition by partition.</summary>
public sealed record DatasetContent(DatasetInfo Dataset, Func<Stream, CancellationToken, Task> WriteAsync);

public sealed class UploadDatasetHandler(IDatasetStore datasets, IClusterClient client) : IRequestHandler<UploadDataset, DatasetInfo>
{
    public async ValueTask<DatasetInfo> Handle(UploadDataset request, CancellationToken cancellationToken)
    {
        ResourceNames.Validate(request.Name, "dataset");
        var dataset = request.Format == DatasetFormat.Parquet
            ? await ImportParquetAsync(request, cancellationToken)
            : await new CsvDatasetImporter(datasets).ImportAsync(request.Name, request.Label, request.Body, cancellationToken);
        try
        {
            return await client.GetGrain<IDatasetGrain>(request.Name).RegisterAsync(dataset);
        }
        catch
        {
            for (var i = 0; i < dataset.PartitionCount; i++)
            {
                await datasets.DeleteAsync(dataset.PartitionKey(i), CancellationToken.None);
            }

            throw;
        }
    }

    /// <summary>Parquet keeps its schema at the end of the file, so a body that cannot seek is spooled to a temporary file first.</summary>
    private async Task<DatasetInfo> ImportParquetAsync(UploadDataset request, CancellationToken cancellationToken)
    {
        if (request.Body.CanSeek)
        {
            return await new ParquetDatasetImporter(datasets).ImportAsync(request.Name, request.Label, request.Body, cancellationToken);
        }

        await using var spooled = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await request.Body.CopyToAsync(spooled, cancellationToken);
        spooled.Position = 0;
        return await new ParquetDatasetImporter(datasets).ImportAsync(request.Name, request.Label, spooled, cancellationToken);
    }
}

public sealed class ImportDatasetHandler(IClusterClient client) : IRequestHandler<ImportDataset, DatasetInfo>
{
    public async ValueTask<DatasetInfo> Handle(ImportDataset request, CancellationToken cancellationToken)
    {
        ResourceNames.Validate(request.Name, "dataset");
        return await client.GetGrain<IDatasetImportGrain>(Guid.NewGuid().ToString("N"))
            .ImportAsync(new DatasetImportSpec { Name = request.Name, Url = request.Url, Label = request.Label });
    }
}

public sealed class ListDatasetsHandler(IClusterClient client) : IRequestHandler<ListDatasets, DatasetInfo[]>
{
    public async ValueTask<DatasetInfo[]> Handle(ListDatasets request, CancellationToken cancellationToken)
    {
        var names = await client.GetGrain<IDatasetCatalogGrain>(0).ListAsync();
        var datasets = await Task.WhenAll(names.Select(n => client.GetGrain<IDatasetGrain>(n).GetAsync()));
        return datasets.OfType<DatasetInfo>().ToArray();
    }
}

public sealed class GetDatasetHandler(IClusterClient client) : IRequestHandler<GetDataset, DatasetInfo?>
{
    public async ValueTask<DatasetInfo?> Handle(GetDataset request, CancellationToken cancellationToken) =>
        ResourceNames.IsValid(request.Name) ? await client.GetGrain<IDatasetGrain>(request.Name).GetAsync() : null;
}

public sealed class GetDatasetContentHandler(IDatasetStore datasets, IClusterClient client) : IRequestHandler<GetDatasetContent, DatasetContent?>
{
    public async ValueTask<DatasetContent?> Handle(GetDatasetContent request, CancellationToken cancellationToken) =>
        ResourceNames.IsValid(request.Name) && await client.GetGrain<IDatasetGrain>(request.Name).GetAsync() is { } dataset
            ? new DatasetContent(dataset, (body, token) => DatasetCsv.WriteAsync(dataset, datasets, body, token))
            : null;
}
