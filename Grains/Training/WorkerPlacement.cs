namespace OrleansML.Training;

/// <summary>
/// Where a group's workers run. Without a requested count, one worker per device of every silo: one per silo on
/// CPU silos, one per GPU on a multi-GPU silo, with a silo's workers on consecutive ranks (ring neighbours). With a
/// count, workers go round-robin over the silos and, on each silo, round-robin over its devices.
/// </summary>
public static class WorkerPlacement
{
    public static WorkerSlot[] Assign(IReadOnlyList<SiloDevices> silos, int? workers)
    {
        if (workers is not { } count)
        {
            return silos.SelectMany(s => Enumerable.Range(0, Math.Max(1, s.Devices)).Select(d => new WorkerSlot(s.Silo, d))).ToArray();
        }

        var placed = new int[silos.Count];
        var slots = new WorkerSlot[count];
        for (var k = 0; k < count; k++)
        {
            var silo = k % silos.Count;
            slots[k] = new WorkerSlot(silos[silo].Silo, placed[silo]++ % Math.Max(1, silos[silo].Devices));
        }

        return slots;
    }
}

/// <summary>A live silo and how many devices it trains on.</summary>
public readonly record struct SiloDevices(string Silo, int Devices);

/// <summary>A worker's place: its silo and the index of its device there.</summary>
public readonly record struct WorkerSlot(string Silo, int Device);
