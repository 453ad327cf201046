namespace OrleansML.Storage;

/// <summary>Names of the grain storage providers OrleansML registers.</summary>
public static class StorageNames
{
    /// <summary>Control-plane state: model versions and labels, datasets, jobs.</summary>
    public const string Platform = "orleansml";
}
