using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace OrleansML.Tests.Infrastructure;

/// <summary>
/// The API in embedded mode over real HTTP-in-memory, with its own co-hosted silo on free ports and its own data
/// directory. Pass an existing directory to start a second instance over the first one's data; pass settings to
/// override configuration such as <c>OrleansML:Limits:MaxPredictBytes</c>.
/// </summary>
public sealed class ApiFactory(string dataDirectory, string environment = "Development", IReadOnlyDictionary<string, string>? settings = null)
    : WebApplicationFactory<Program>
{
    public string DataDirectory => dataDirectory;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.UseSetting("OrleansML:Mode", "Embedded");
        builder.UseSetting("OrleansML:DataDirectory", dataDirectory);
        builder.UseSetting("OrleansML:Device", "cpu");
        builder.UseSetting("OrleansML:SiloPort", FreePort.Next().ToString());
        builder.UseSetting("OrleansML:GatewayPort", FreePort.Next().ToString());
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }
    }
}
