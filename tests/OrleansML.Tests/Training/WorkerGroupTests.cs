using OrleansML.Training;

namespace OrleansML.Tests.Training;

public sealed class WorkerGroupTests
{
    private static WorkerGroup Group(params string[] silos) =>
        WorkerGroup.Of("job", 3, silos.Select(s => new WorkerSlot(s, 0)).ToArray(), _ => null!);

    private static Task<bool> NobodyAsked(string silo) => throw new InvalidOperationException($"{silo} was asked");

    [Fact]
    public void Workers_are_keyed_by_silo_job_generation_and_rank()
    {
        var group = Group("s1", "s2");

        Assert.Equal(["s1/job/3-0", "s2/job/3-1"], group.Keys);
        Assert.Equal(["s1", "s2"], group.Workers.Select(w => w.Silo));
    }

    [Fact]
    public async Task Calls_that_all_succeed_are_no_failure()
    {
        Assert.Null(await Group("s1", "s2").FailureOfAsync([Task.CompletedTask, Task.CompletedTask], "round 1", TimeSpan.FromSeconds(5), NobodyAsked));
    }

    [Fact]
    public async Task A_call_that_fails_with_its_own_error_names_its_silo()
    {
        var calls = new[] { Task.CompletedTask, Task.FromException(new InvalidOperationException("worker lost its peer")) };

        var reason = await Group("s1", "s2").FailureOfAsync(calls, "round 4", TimeSpan.FromSeconds(5), NobodyAsked);

        Assert.Equal("round 4 failed: no answer or an error from s2 (worker lost its peer)", reason);
    }

    [Fact]
    public async Task A_call_that_never_ends_names_its_silo_when_the_limit_passes()
    {
        var calls = new[] { new TaskCompletionSource().Task, Task.CompletedTask };

        var reason = await Group("s1", "s2").FailureOfAsync(calls, "initializing workers", TimeSpan.FromMilliseconds(1), NobodyAsked);

        Assert.StartsWith("initializing workers failed: no answer or an error from s1 (", reason);
    }

    [Fact]
    public async Task When_every_call_timed_out_the_silos_that_do_not_answer_are_named()
    {
        var calls = new[] { Task.FromException(new TimeoutException("peer")), Task.FromException(new TimeoutException("peer")) };

        var reason = await Group("s1", "s2").FailureOfAsync(calls, "round 2", TimeSpan.FromSeconds(5), silo => Task.FromResult(silo == "s1"));

        Assert.Equal("round 2 failed: no answer or an error from s2 (peer)", reason);
    }

    [Fact]
    public async Task When_every_silo_still_answers_the_reason_names_none()
    {
        var calls = new[] { Task.FromException(new TimeoutException("peer")) };

        var reason = await Group("s1").FailureOfAsync(calls, "round 2", TimeSpan.FromSeconds(5), _ => Task.FromResult(true));

        Assert.Equal("round 2 failed: peer", reason);
    }

    [Fact]
    public void Each_rank_is_set_up_with_its_peers_its_device_and_the_checkpoint_to_resume_from()
    {
        var group = WorkerGroup.Of("job", 1, [new WorkerSlot("s1", 0), new WorkerSlot("s1", 1)], _ => null!);
        var job = new TrainingJobState
        {
            Spec = new TrainingJobSpec { Model = "m", Dataset = "d" },
            WeightsKey = "training/job/initial",
            Dataset = new OrleansML.Datasets.DatasetInfo
            {
                Name = "d", Rows = 1, Columns = ["x"], Label = "y", PartitionSize = 1, PartitionCount = 1, StoragePrefix = "p", CreatedAt = default,
            },
        };

        var setups = group.Setups(job, new TrainingOptions(), "training/job/checkpoint-1-0");

        Assert.Equal([0, 1], setups.Select(s => s.Rank));
        Assert.Equal([0, 1], setups.Select(s => s.Device));
        Assert.All(setups, s => Assert.Equal(("job", group.Keys, "training/job/checkpoint-1-0", "training/job/initial"), (s.JobId, s.Peers, s.CheckpointKey, s.WeightsKey)));
    }
}
