namespace OrleansML.Storage;

/// <summary>
/// The store of dataset partitions and scoring output, configured apart from the model artifacts
/// (<c>OrleansML:Storage:Datasets</c>); by default it is the artifact store itself.
/// </summary>
public interface IDatasetStore : IArtifactStore;
