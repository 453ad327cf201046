using OrleansML.Cluster;
using OrleansML.Jobs;

namespace OrleansML.Training;

/// <summary>
/// The silos to place workers on, with their device counts. Membership takes several probe periods to declare a
/// killed silo dead, and a worker on a live silo can fail only because a dead peer did: every candidate's agent is
/// asked directly, within <c>timeout</c>, and those that answer are kept (all active silos, one device each, if
/// none answers).
/// </summary>
public sealed class SiloProbe(IGrainFactory grains, TimeSpan timeout)
{
    public async Task<List<SiloDevices>> LiveAsync()
    {
        var live = await JobDriver.LiveSilosAsync(grains);
        var answered = await Task.WhenAll(live.Select(ProbeAsync));
        var responsive = answered.OfType<SiloDevices>().ToList();
        return responsive.Count > 0 ? responsive : live.Select(s => new SiloDevices(s, 1)).ToList();
    }

    public async Task<bool> AnswersAsync(string silo) => await ProbeAsync(silo) is not null;

    /// <summary>Asks a silo's agent for its devices within the timeout; null when it does not answer.</summary>
    private async Task<SiloDevices?> ProbeAsync(string silo)
    {
        try
        {
            var info = await grains.GetGrain<ISiloAgentGrain>(silo).GetSiloAsync().WaitAsync(timeout);
            return new SiloDevices(silo, info.Devices);
        }
        catch (Exception)
        {
            return null;
        }
    }
}
