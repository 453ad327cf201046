using OrleansML.Training;

namespace OrleansML.Tests.Training;

public sealed class CheckpointLedgerTests
{
    [Fact]
    public void A_job_starts_from_its_weights_and_its_first_checkpoint_goes_to_the_generations_first_key()
    {
        var job = new TrainingJobState { Generation = 1 };
        var ledger = new CheckpointLedger(job, "j");

        Assert.Null(ledger.StoredKey);
        Assert.Equal("training/j/checkpoint-1-0", ledger.NextKey());
    }

    [Fact]
    public void A_new_checkpoint_never_overwrites_the_one_the_stored_state_names()
    {
        var job = new TrainingJobState { Generation = 1 };
        var ledger = new CheckpointLedger(job, "j");
        ledger.Ask(10, 1.5, ledger.NextKey());
        Assert.Equal((true, null), ledger.Written(10));

        Assert.Equal("training/j/checkpoint-1-0", ledger.StoredKey);
        Assert.Equal("training/j/checkpoint-1-1", ledger.NextKey());
        ledger.Ask(20, 2.5, ledger.NextKey());
        Assert.Equal((true, "training/j/checkpoint-1-0"), ledger.Written(20));

        Assert.Equal((20L, 2.5, "training/j/checkpoint-1-1"), (job.CheckpointRound, job.CheckpointEpochLoss, job.CheckpointKey));
        Assert.Equal("training/j/checkpoint-1-0", ledger.NextKey());
    }

    [Fact]
    public void A_re_formed_group_writes_its_own_generations_keys()
    {
        var job = new TrainingJobState { Generation = 1 };
        var ledger = new CheckpointLedger(job, "j");
        ledger.Ask(10, 0, ledger.NextKey());
        ledger.Written(10);

        job.Generation = 2;

        Assert.Equal("training/j/checkpoint-2-0", ledger.NextKey());
        ledger.Ask(20, 0, ledger.NextKey());
        Assert.Equal((true, "training/j/checkpoint-1-0"), ledger.Written(20));
    }

    [Fact]
    public void A_checkpoint_rank_0_did_not_finish_or_a_forgotten_one_is_not_stored()
    {
        var job = new TrainingJobState { Generation = 1, CheckpointRound = 10, CheckpointKey = "training/j/checkpoint-1-0" };
        var ledger = new CheckpointLedger(job, "j");
        ledger.Ask(20, 0, ledger.NextKey());

        Assert.Equal((false, null), ledger.Written(10));
        Assert.Null(ledger.Asked);

        ledger.Ask(30, 0, ledger.NextKey());
        ledger.Forget();
        Assert.Equal((false, null), ledger.Written(30));
        Assert.Equal((10L, "training/j/checkpoint-1-0"), (job.CheckpointRound, job.CheckpointKey));
    }

    [Fact]
    public void Cleaning_up_covers_both_keys_of_every_generation_and_no_other_key()
    {
        var ledger = new CheckpointLedger(new TrainingJobState { Generation = 2 }, "j");

        Assert.Equal(
            ["training/j/checkpoint-0-0", "training/j/checkpoint-0-1", "training/j/checkpoint-1-0", "training/j/checkpoint-1-1", "training/j/checkpoint-2-0", "training/j/checkpoint-2-1"],
            ledger.AllKeys());
    }
}
