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

    /// <summary>
    /// Claims this name for a dataset that <paramref name="owner"/> (a job) is writing: refused with a conflict when
    /// the dataset exists or another owner holds the name. Uploads are refused while the claim stands.
    /// </summary>
    [Alias("ReserveAsync")]
    Task ReserveAsync(string owner);

    /// <summary>Registers the dataset that <paramref name="owner"/> reserved this name for, and ends the claim.</summary>
    [Alias("RegisterReservedAsync")]
    Task<DatasetInfo> RegisterReservedAsync(string owner, DatasetInfo dataset);

    /// <summary>Ends <paramref name="owner"/>'s claim without registering anything (a failed job).</summary>
    [Alias("ReleaseAsync")]
    Task ReleaseAsync(string owner);
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
