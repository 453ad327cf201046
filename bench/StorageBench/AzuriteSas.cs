using Azure.Storage.Blobs;
using Azure.Storage.Sas;

namespace OrleansML.Bench;

/// <summary>
/// For the curl baseline against Azurite: curl cannot compute Shared Key signatures, so the SDK creates the container
/// and signs a blob SAS URL once; curl then does a plain PUT Blob and GET with it.
/// </summary>
public static class AzuriteSas
{
    public static async Task<int> RunAsync(string connectionString, string container, string blob)
    {
        var client = new BlobServiceClient(connectionString).GetBlobContainerClient(container);
        await client.CreateIfNotExistsAsync();
        var uri = client.GetBlobClient(blob).GenerateSasUri(BlobSasPermissions.Read | BlobSasPermissions.Write | BlobSasPermissions.Create | BlobSasPermissions.Delete, DateTimeOffset.UtcNow.AddHours(2));
        Console.WriteLine(uri);
        return 0;
    }
}
