namespace OrleansML.Serving;

/// <summary>
/// The names of every model (one catalog, key 0). Model grains register themselves when a version is added, so
/// listing models needs no scan of grain storage, which cluster mode (Redis) cannot do cheaply.
/// </summary>
[Alias("OrleansML.Serving.IModelCatalogGrain")]
public interface IModelCatalogGrain : IGrainWithIntegerKey
{
    /// <summary>Records a model name; idempotent.</summary>
    [Alias("AddAsync")]
    Task AddAsync(string model);

    /// <summary>The model names, in ordinal order.</summary>
    [Alias("ListAsync"), Orleans.Concurrency.AlwaysInterleave]
    Task<IReadOnlyList<string>> ListAsync();
}
