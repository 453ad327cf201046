namespace OrleansML.Datasets;

/// <summary>One dataset's metadata (keyed by its name); its rows live in the artifact store.</summary>
[Alias("OrleansML.Datasets.IDatasetGrain")]
public interface IDatasetGrain : IGrainWithStringKey
{
    /// <summary>The dataset, or null when there is none by this name.</summary>
    [Alias("GetAsync")]
    Task<DatasetInfo?> GetAsync();

    /// <summary>Registers partitions already written to the artifact store, replacing (and deleting) any previous upload.</summary>
    [Alias("RegisterAsync")]
    Task<DatasetInfo> RegisterAsync(DatasetInfo dataset);
}

/// <summary>The names of every dataset, so they can be listed (key 0).</summary>
[Alias("OrleansML.Datasets.IDatasetCatalogGrain")]
public interface IDatasetCatalogGrain : IGrainWithIntegerKey
{
    [Alias("AddAsync")]
    Task AddAsync(string name);

    [Alias("ListAsync")]
    Task<string[]> ListAsync();
}
