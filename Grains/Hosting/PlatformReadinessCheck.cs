using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrleansML.Storage;

namespace OrleansML.Hosting;

/// <summary>Ready when at least one silo is active in the cluster and the artifact and dataset stores can be written.</summary>
public sealed class PlatformReadinessCheck(IClusterClient client, IArtifactStore artifacts, IDatasetStore datasets) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var silos = await client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
            if (silos.Count == 0)
            {
                return HealthCheckResult.Unhealthy("No active silo.");
            }

            await artifacts.CheckAsync(cancellationToken);
            if (datasets is not DatasetStore shared || !shared.Shares(artifacts))
            {
                await datasets.CheckAsync(cancellationToken);
            }

            return HealthCheckResult.Healthy($"{silos.Count} active silo(s); storage reachable.");
        }
        catch (Exception exception)
        {
            return HealthCheckResult.Unhealthy(exception.Message, exception);
        }
    }
}
