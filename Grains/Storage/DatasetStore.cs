namespace OrleansML.Storage;

/// <summary>Gives an artifact store the dataset store's role.</summary>
public sealed class DatasetStore(IArtifactStore store) : IDatasetStore
{
    /// <summary>True when datasets live in <paramref name="artifacts"/> itself, so one readiness probe covers both.</summary>
    public bool Shares(IArtifactStore artifacts) => ReferenceEquals(store, artifacts);

    public Task WriteAsync(string key, Stream content, CancellationToken cancellationToken = default) =>
        store.WriteAsync(key, content, cancellationToken);

    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default) =>
        store.OpenReadAsync(key, cancellationToken);

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) =>
        store.ExistsAsync(key, cancellationToken);

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default) =>
        store.DeleteAsync(key, cancellationToken);

    public Task MoveAsync(string fromKey, string toKey, CancellationToken cancellationToken = default) =>
        store.MoveAsync(fromKey, toKey, cancellationToken);

    public Task CheckAsync(CancellationToken cancellationToken = default) => store.CheckAsync(cancellationToken);
}
