using Orleans.Placement;
using Orleans.Runtime;

namespace OrleansML.Placement;

/// <summary>
/// Places a grain on the silo named by its string key (a <see cref="SiloAddress"/> in parsable form). Used for
/// per-silo agents and training workers, which must run on distinct, chosen silos.
/// </summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class SiloPinnedPlacement : PlacementStrategy
{
    public static SiloPinnedPlacement Instance { get; } = new();
}

/// <summary>Marks a grain class as pinned to the silo named by its key.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SiloPinnedPlacementAttribute() : PlacementAttribute(SiloPinnedPlacement.Instance);
