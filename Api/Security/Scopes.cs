namespace OrleansML.Api.Security;

/// <summary>
/// What a credential may do. Each is also the name of the authorization policy that guards its endpoints; admin
/// satisfies every policy.
/// </summary>
public static class Scopes
{
    /// <summary>Predictions over every protocol, and reading models and their metadata.</summary>
    public const string Predict = "predict";

    /// <summary>Training and batch-scoring jobs, and reading datasets.</summary>
    public const string Train = "train";

    /// <summary>Changing models (create, upload, delete, labels, traffic, policies), datasets, API keys and the cluster view.</summary>
    public const string Admin = "admin";

    public static readonly string[] All = [Predict, Train, Admin];

    public static bool IsKnown(string scope) => All.Contains(scope, StringComparer.Ordinal);
}
