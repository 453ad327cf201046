namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// Azurite's blob service (Microsoft's Azure Storage emulator, <c>npm install -g azurite</c>) as a local process on a
/// port Aspire allocates, with its data in a throwaway folder. Its connection string is the emulator's well-known
/// development account, the shape the Azure Blob artifact store takes in production.
/// </summary>
/// <remarks>
/// Azurite listens on <see cref="Port"/> itself, not behind Aspire's proxy: through the proxy it refused every request
/// with an empty 400.
/// </remarks>
public sealed class AzuriteResource(string name, string workingDirectory, int port)
    : ExecutableResource(name, "azurite-blob", workingDirectory), IResourceWithConnectionString
{
    internal const string BlobEndpointName = "blob";

    /// <summary>Azurite's development account key (public, documented by Microsoft).</summary>
    internal const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public int Port { get; } = port;

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};BlobEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;";

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{ConnectionString}");
}
