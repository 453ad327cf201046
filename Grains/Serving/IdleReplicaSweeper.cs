using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace OrleansML.Serving;

/// <summary>Unloads model versions that have been idle longer than <see cref="ServingOptions.IdleUnloadAfter"/>.</summary>
public sealed class IdleReplicaSweeper(ReplicaCache replicas, IOptions<ServingOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            replicas.UnloadIdle();
        }
    }
}
