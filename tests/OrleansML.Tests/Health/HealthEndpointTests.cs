using System.Net;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Health;

public sealed class HealthEndpointTests : IDisposable
{
    private readonly TempDirectory _data = new();

    [Fact]
    public async Task Live_and_ready_answer_200_without_credentials_once_the_silo_is_active()
    {
        await using var api = new ApiFactory(_data.Path);
        var client = api.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Ready_answers_503_when_the_data_directory_cannot_be_written()
    {
        var blocked = Path.Combine(_data.Path, "blocked");
        await File.WriteAllTextAsync(blocked, "a file where the data directory should be");
        await using var api = new ApiFactory(blocked);
        var client = api.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_and_the_api_reference_are_served_in_development()
    {
        await using var api = new ApiFactory(_data.Path);
        var client = api.CreateClient();

        var document = await client.GetStringAsync("/openapi/v1.json");
        Assert.Contains("\"/api/cluster\"", document);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/scalar/v1")).StatusCode);
    }

    [Fact]
    public async Task The_cluster_endpoint_lists_the_embedded_silo()
    {
        await using var api = new ApiFactory(_data.Path);
        var client = api.CreateClient();

        var silos = await client.GetStringAsync("/api/cluster");
        Assert.Contains("\"device\":\"cpu\"", silos);
    }

    public void Dispose() => _data.Dispose();
}
