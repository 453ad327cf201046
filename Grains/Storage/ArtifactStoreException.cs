namespace OrleansML.Storage;

/// <summary>A store refused or failed an operation; the message names the store, where it points and the operation.</summary>
public sealed class ArtifactStoreException(string message, Exception? innerException = null) : IOException(message, innerException);
