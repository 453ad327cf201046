using System.Net;
using System.Security.Cryptography;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Api;

/// <summary>GET /api/models/{m}/versions/{v}/artifact: the stored bytes back, for export or archive.</summary>
public sealed class ArtifactDownloadTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task A_version_downloads_as_the_bytes_uploaded_with_their_sha256_and_a_file_name()
    {
        var model = $"export-{Guid.NewGuid():N}"[..20];
        await api.UploadOkAsync(model, Fixtures.L1000);
        var uploaded = await File.ReadAllBytesAsync(Fixtures.L1000);
        var recorded = (await ApiFixture.ReadJsonAsync(await api.Client.GetAsync($"/api/models/{model}/versions/1"))).GetProperty("sha256").GetString();

        using var response = await api.Client.GetAsync($"/api/models/{model}/versions/1/artifact");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"{model}-v1.pt", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        var downloaded = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(uploaded, downloaded);
        var header = Assert.Single(response.Headers.GetValues("X-Artifact-Sha256"));
        Assert.Equal(recorded, header);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(downloaded)), header, ignoreCase: true);
    }

    [Theory]
    [InlineData("no-such-model", 1)]
    [InlineData(null, 99)]
    public async Task An_unknown_model_or_version_is_404(string? model, int version)
    {
        var name = model ?? $"export-{Guid.NewGuid():N}"[..20];
        if (model is null)
        {
            await api.UploadOkAsync(name, Fixtures.L1000);
        }

        using var response = await api.Client.GetAsync($"/api/models/{name}/versions/{version}/artifact");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(response.Headers.Contains("X-Artifact-Sha256"));
    }
}
