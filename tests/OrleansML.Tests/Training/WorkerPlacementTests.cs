using OrleansML.Training;

namespace OrleansML.Tests.Training;

public sealed class WorkerPlacementTests
{
    [Fact]
    public void By_default_every_device_of_every_silo_gets_one_worker_on_consecutive_ranks()
    {
        var slots = WorkerPlacement.Assign([new("a", 2), new("b", 1), new("c", 3)], workers: null);

        Assert.Equal(
            [new("a", 0), new("a", 1), new("b", 0), new("c", 0), new("c", 1), new("c", 2)],
            slots);
    }

    [Fact]
    public void By_default_cpu_silos_get_one_worker_each()
    {
        var slots = WorkerPlacement.Assign([new("a", 1), new("b", 1), new("c", 1)], workers: null);

        Assert.Equal([new("a", 0), new("b", 0), new("c", 0)], slots);
    }

    [Fact]
    public void A_requested_count_goes_round_robin_over_silos_and_over_each_silos_devices()
    {
        var slots = WorkerPlacement.Assign([new("a", 2), new("b", 1)], workers: 5);

        // a gets ranks 0, 2, 4 on devices 0, 1, 0; b's one device takes ranks 1 and 3.
        Assert.Equal([new("a", 0), new("b", 0), new("a", 1), new("b", 0), new("a", 0)], slots);
    }

    [Fact]
    public void Workers_on_one_multi_gpu_silo_use_distinct_devices_while_there_are_enough()
    {
        var slots = WorkerPlacement.Assign([new("gpu-silo", 4)], workers: 3);

        Assert.Equal([0, 1, 2], slots.Select(s => s.Device));
    }
}
