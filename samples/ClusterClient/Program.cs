using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using OrleansML.Samples.ClusterClient;
using OrleansML.Serving;
using StackExchange.Redis;

// Settings from arguments (--Redis localhost:6379 --ClusterId orleansml --ServiceId orleansml --Model iris
// --Input 1,2,3,4) or environment variables (Redis=..., ClusterId=...). Silos with OrleansML:Tls also need
// --TlsCertificatePath and TlsCertificatePassword; secrets such as the Redis password belong in environment variables.
var builder = Host.CreateApplicationBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var settings = builder.Configuration.Get<ClientSettings>() ?? new ClientSettings();

// These lines are all another service needs to call OrleansML: the silos' cluster id and service id, and the Redis
// that holds their membership table (the client finds the gateways there).
builder.UseOrleansClient(client => client
    .Configure<ClusterOptions>(o =>
    {
        o.ClusterId = settings.ClusterId;
        o.ServiceId = settings.ServiceId;
    })
    .UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(settings.Redis))
    .UseSiloTls(settings));

using var host = builder.Build();
await host.StartAsync();
var grains = host.Services.GetRequiredService<IClusterClient>();

var models = await grains.GetGrain<IModelCatalogGrain>(0).ListAsync();
Console.WriteLine($"models: {string.Join(", ", models)}");

var name = settings.Model ?? models.FirstOrDefault();
if (name is null)
{
    Console.WriteLine("no model to predict on: upload one first (POST /api/models)");
    await host.StopAsync();
    return 1;
}

var model = await grains.GetGrain<IModelGrain>(name).GetAsync()
    ?? throw new InvalidOperationException($"model '{name}' does not exist");
var input = SampleInput.For(model, settings.Input);
var prediction = await grains.GetGrain<IPredictorGrain>(name).PredictAsync(new PredictionRequest([input]));

Console.WriteLine(
    $"prediction: model={prediction.Model} version={prediction.Version} silo={prediction.Silo} " +
    $"outputs=[{string.Join(", ", prediction.Outputs[0].ToDoubles())}]");

await host.StopAsync();
return 0;
