using Mediator;
using OrleansML.Datasets;
using OrleansML.Serving;
using OrleansML.Storage;

namespace OrleansML.Api.Datasets;

public sealed record UploadDataset(string Name, string Label, Stream Csv) : IRequest<DatasetInfo>;

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
        var dataset = await new CsvDatasetImporter(datasets).ImportAsync(request.Name, request.Label, request.Csv, cancellationToken);
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
