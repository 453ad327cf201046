using OrleansML.Datasets;
using OrleansML.Training;

namespace OrleansML.Tests.Training;

public sealed class RoundLedgerTests
{
    // 100 rows, no validation, batch 10: 10 rounds an epoch.
    private static readonly TrainingPlan Plan = new(100, 0, 10, 1);

    private static TrainingJobState Job() => new()
    {
        Dataset = new DatasetInfo
        {
            Name = "d", Rows = 100, Columns = ["x"], Label = "y", LabelClasses = [0, 1], PartitionSize = 100, PartitionCount = 1,
            StoragePrefix = "datasets/d", CreatedAt = DateTimeOffset.UnixEpoch,
        },
    };

    /// <summary>One rank's result of <paramref name="count"/> rounds, each with loss <paramref name="loss"/> and taking <paramref name="ms"/>.</summary>
    private static RoundsResult Result(int count, double loss, double ms, long bytes = 0, params Evaluation[] evaluations) =>
        new(Enumerable.Repeat(loss, count).ToArray(), Enumerable.Repeat(ms, count).ToArray(), bytes, 25, Enumerable.Repeat(ms, count).ToArray(), evaluations);

    [Fact]
    public void A_call_runs_to_the_next_checkpoint_round_at_most_and_one_round_before_any_is_measured()
    {
        var ledger = new RoundLedger(Job(), Plan, totalRounds: 30, checkpointEveryRounds: 4);

        Assert.Equal(1, ledger.RoundsFitting(TimeSpan.FromSeconds(1)));

        ledger.Record(0, 1, [Result(1, 0.5, 1)], milliseconds: 1);

        // 1 ms a round fits 250 in the longest call; the next checkpoint round (4) comes first.
        Assert.Equal(3, ledger.RoundsFitting(TimeSpan.FromSeconds(1)));
        Assert.False(ledger.CheckpointDueAfter(3));
        Assert.True(ledger.CheckpointDueAfter(4));
    }

    [Fact]
    public void A_call_is_sized_to_what_is_left_of_the_tick_and_never_past_the_jobs_end()
    {
        var ledger = new RoundLedger(Job(), Plan, totalRounds: 30, checkpointEveryRounds: 50);
        ledger.Record(0, 2, [Result(2, 0.5, 10)], milliseconds: 20);

        Assert.Equal(5, ledger.RoundsFitting(TimeSpan.FromMilliseconds(50)));
        Assert.Equal(1, ledger.RoundsFitting(TimeSpan.Zero));
        Assert.Equal(25, ledger.RoundsFitting(TimeSpan.FromSeconds(10)));

        ledger.Record(2, 27, [Result(27, 0.5, 0.001)], milliseconds: 0.027);
        Assert.Equal(1, ledger.RoundsFitting(TimeSpan.FromSeconds(1)));
        Assert.False(ledger.CheckpointDueAfter(30));
    }

    [Fact]
    public void The_losses_of_every_rank_add_up_and_an_epoch_ends_with_its_mean_loss_and_rank_0s_validation()
    {
        var job = Job();
        var ledger = new RoundLedger(job, Plan, totalRounds: 30, checkpointEveryRounds: 50);

        var rounds = ledger.Record(0, 12, [Result(12, 0.25, 2, 100, new Evaluation(6, 8, 10)), Result(12, 0.5, 3, 300)], milliseconds: 36);

        Assert.Equal(12, ledger.Round);
        Assert.Equal(0.75, ledger.Loss);
        Assert.All(rounds, r => Assert.Equal((3.0, 10, 0.75), r));
        Assert.Equal(300, ledger.BytesPerWorker);
        Assert.Equal(100, ledger.GradientBytes);
        var epoch = Assert.Single(job.History);
        Assert.Equal(new EpochSummary(1, 0.75, 0.6, 0.8, 20), epoch);
        Assert.Equal(2 * 0.75, ledger.EpochLoss, 9);
        Assert.Equal(2, ledger.Epoch(epochs: 3, finished: false));
    }

    [Fact]
    public void Restoring_goes_back_to_the_stored_checkpoint_and_forgets_the_epochs_after_it()
    {
        var job = Job();
        var ledger = new RoundLedger(job, Plan, totalRounds: 30, checkpointEveryRounds: 5);
        ledger.Record(0, 25, [Result(25, 1, 1)], milliseconds: 25);
        Assert.Equal(2, job.History.Count);
        (job.CheckpointRound, job.CheckpointEpochLoss) = (15, 5);

        ledger.Restore();

        Assert.Equal(15, ledger.Round);
        Assert.Equal(5, ledger.EpochLoss);
        Assert.Equal(1, Assert.Single(job.History).Epoch);
        ledger.Record(15, 5, [Result(5, 1, 1)], milliseconds: 5);
        Assert.Equal(new EpochSummary(2, 1, null, null, 5), job.History[1]);
    }

    [Fact]
    public void A_failed_call_counts_among_the_round_times()
    {
        var ledger = new RoundLedger(Job(), Plan, totalRounds: 30, checkpointEveryRounds: 5);
        ledger.Record(0, 2, [Result(2, 1, 4)], milliseconds: 8);

        ledger.Failed(30_000);

        Assert.Equal([4, 4, 30_000], ledger.Durations);
        Assert.Equal(2, ledger.Round);
    }
}
