namespace OrleansML.Serving;

/// <summary>
/// A silo could not load a registered version (artifact missing, corrupted, or no longer loadable). It stays on the
/// silo: whoever catches it marks the version FAILED with <see cref="Exception.Message"/> as the reason.
/// </summary>
public sealed class ModelLoadException(string message) : Exception(message);
