using System.Net.Http.Json;
using OrleansML.Cluster;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.ClusterMode;

[Collection(ProcessClusterCollection.Name)]
public sealed class ProcessClusterSmokeTests(ProcessClusterFixture fixture)
{
    [Fact]
    public async Task The_api_as_an_orleans_client_sees_the_silo_processes_clustered_through_redis()
    {
        var silos = await fixture.Api.GetFromJsonAsync<SiloInfo[]>("api/cluster");

        // Three at the start; other tests in this collection add and replace silos.
        Assert.True(silos!.Length >= 3, $"{silos.Length} silos");
        Assert.Equal(silos.Length, silos.Select(s => s.Address).Distinct().Count());
    }
}
