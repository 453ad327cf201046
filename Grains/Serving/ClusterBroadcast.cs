using Microsoft.Extensions.Logging;
using OrleansML.Cluster;

namespace OrleansML.Serving;

/// <summary>Reaches the OrleansML agent of every active silo: to warm a version there, or to push routing.</summary>
public sealed partial class ClusterBroadcast(IGrainFactory grains, ILogger<ClusterBroadcast> logger)
{
    public async Task<ISiloAgentGrain[]> AgentsAsync()
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        return hosts.Keys.Select(s => grains.GetGrain<ISiloAgentGrain>(s.ToParsableString())).ToArray();
    }

    /// <summary>Loads the version on every silo. A silo that cannot load it fails the call; a silo that is leaving is skipped.</summary>
    public async Task WarmAsync(ModelInfo model, int version)
    {
        var agents = await AgentsAsync();
        await Task.WhenAll(agents.Select(async agent =>
        {
            try
            {
                await agent.WarmAsync(model, version);
            }
            catch (Exception exception) when (exception is not Errors.PlatformException)
            {
                // A silo that cannot be reached (dead, leaving) is not a reason to refuse the swap: it loads the
                // version on its first request if it comes back. Only a silo that could not load it refuses.
                LogSkipped(agent.GetPrimaryKeyString(), exception.Message);
            }
        }));
    }

    /// <summary>Pushes routing to every silo; silos that miss it fetch it on their next request.</summary>
    public async Task PublishAsync(string name, ModelInfo? model)
    {
        var agents = await AgentsAsync();
        await Task.WhenAll(agents.Select(async agent =>
        {
            try
            {
                await agent.ApplyRoutingAsync(name, model);
            }
            catch (Exception exception)
            {
                LogSkipped(agent.GetPrimaryKeyString(), exception.Message);
            }
        }));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {Silo} was skipped: {Reason}")]
    private partial void LogSkipped(string silo, string reason);
}
