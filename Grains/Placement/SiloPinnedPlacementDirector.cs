using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace OrleansML.Placement;

/// <summary>
/// Activates a <see cref="SiloPinnedPlacement"/> grain on the silo its key names (before any '/'), and refuses when that silo is
/// not active: a caller learns at once that its target is gone instead of getting a stand-in elsewhere.
/// </summary>
public sealed class SiloPinnedPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        // The key is a silo address, optionally followed by '/' and anything (training workers: {silo}/{job}/{rank}).
        var key = target.GrainIdentity.Key.ToString()!;
        var separator = key.IndexOf('/', StringComparison.Ordinal);
        var silo = SiloAddress.FromParsableString(separator < 0 ? key : key[..separator]);
        if (!context.GetCompatibleSilos(target).Contains(silo))
        {
            throw new SiloUnavailableException($"Silo {key} is not an active member of the cluster.");
        }

        return Task.FromResult(silo);
    }
}
