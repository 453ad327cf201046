namespace OrleansML.Storage;

/// <summary>
/// Stores the platform's large blobs (model weights, datasets, checkpoints) by key, outside grain state.
/// Keys are slash-separated paths built by the platform, never raw user input.
/// </summary>
public interface IArtifactStore
{
    Task WriteAsync(string key, Stream content, CancellationToken cancellationToken = default);

    /// <summary>Opens the artifact for reading, or returns null when there is none.</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default);

    Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default);

    Task DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Moves an artifact to a new key (staging → committed), replacing any artifact there.</summary>
    Task MoveAsync(string fromKey, string toKey, CancellationToken cancellationToken = default);

    /// <summary>Throws when the store cannot be reached or written; used by the readiness probe.</summary>
    Task CheckAsync(CancellationToken cancellationToken = default);
}
