using OrleansML.Errors;
using OrleansML.Scoring;

namespace OrleansML.Tests.Scoring;

public sealed class UnitLedgerTests
{
    private static ScoringJobState Job(int units) => new() { Units = UnitLedger.Split(units * 2, units) };

    private static UnitLedger Ledger(ScoringJobState job, int maxAttempts = 3) => new(job, maxAttempts, TimeSpan.FromSeconds(3));

    private static UnitAttempt Attempt(int unit, string silo, Task<UnitResult> call) => new(unit, silo, $"scoring/j/{unit}-{silo}", call);

    private static Task<UnitResult> Scored(long rows, string silo) => Task.FromResult(new UnitResult(rows, 3, true, 1, silo));

    [Fact]
    public void Units_are_dealt_round_the_silos_up_to_the_slots_of_each()
    {
        var ledger = Ledger(Job(7));

        var assigned = ledger.Assign(["a", "b", "c"], unitsPerSilo: 2);

        Assert.Equal([(0, "a"), (1, "b"), (2, "c"), (3, "a"), (4, "b"), (5, "c")], assigned);
    }

    [Fact]
    public void Units_in_flight_or_committed_are_not_sent_again_and_busy_silos_get_no_more_than_their_slots()
    {
        var job = Job(4);
        job.Committed.Add(0);
        var ledger = Ledger(job);
        ledger.Sent(Attempt(1, "a", new TaskCompletionSource<UnitResult>().Task));

        var assigned = ledger.Assign(["a", "b"], unitsPerSilo: 1);

        Assert.Equal([(2, "b")], assigned);
    }

    [Fact]
    public void A_silo_whose_call_failed_gets_no_more_units_while_another_is_trusted()
    {
        var ledger = Ledger(Job(3));
        var failed = Attempt(0, "a", Task.FromException<UnitResult>(new TimeoutException()));
        ledger.Sent(failed);
        Assert.Equal(UnitVerdict.Retry, ledger.Judge(failed));

        Assert.Equal("no answer within 3 s", ledger.Suspect(failed));
        Assert.Equal([(0, "b"), (1, "b"), (2, "b")], ledger.Assign(["a", "b"], unitsPerSilo: 3));
    }

    [Fact]
    public void When_every_live_silo_is_suspected_they_are_all_used_again()
    {
        var ledger = Ledger(Job(2));
        var failed = Attempt(0, "a", Task.FromException<UnitResult>(new InvalidOperationException("silo gone")));
        ledger.Sent(failed);
        ledger.Judge(failed);
        Assert.Equal("silo gone", ledger.Suspect(failed));

        Assert.Equal([(0, "a"), (1, "a")], ledger.Assign(["a"], unitsPerSilo: 2));
    }

    [Fact]
    public void The_first_answer_of_a_unit_is_committed_and_a_later_one_is_a_duplicate_to_delete()
    {
        var job = Job(2);
        var ledger = Ledger(job);
        var first = Attempt(1, "a", Scored(10, "a"));
        var second = Attempt(1, "b", Scored(10, "b"));
        ledger.Sent(first);
        ledger.Sent(second);

        Assert.Equal([first, second], ledger.Ended());
        Assert.Equal(UnitVerdict.Answered, ledger.Judge(first));
        ledger.Commit(first);
        Assert.Equal(UnitVerdict.Duplicate, ledger.Judge(second));
        ledger.Abandon(second);

        Assert.Equal([1], job.Committed);
        Assert.Equal(10, job.RowsScored);
        Assert.Equal((3, true), (job.Outputs, job.Classification));
        Assert.Equal(new Dictionary<string, int> { ["a"] = 1 }, job.UnitsBySilo);
        Assert.Equal([second.Staging], job.AbandonedStaging);
        Assert.Empty(ledger.InFlight);
        Assert.False(ledger.IsDone);
    }

    [Fact]
    public void A_unit_the_model_refused_fails_the_job_rather_than_moving_to_another_silo()
    {
        var ledger = Ledger(Job(1));
        var refused = Attempt(0, "a", Task.FromException<UnitResult>(PlatformException.Invalid("version 2 was deleted")));
        ledger.Sent(refused);

        Assert.Equal(UnitVerdict.Refused, ledger.Judge(refused));
    }

    [Fact]
    public void A_unit_is_retried_until_its_attempts_run_out_and_every_retry_is_recorded()
    {
        var job = Job(2);
        var ledger = Ledger(job, maxAttempts: 2);

        var first = ledger.Retry(Attempt(1, "a", Scored(0, "a")), "its staged output is incomplete");
        var second = ledger.Retry(Attempt(1, "b", Scored(0, "b")), "no answer within 3 s");

        Assert.Equal(("unit 1 (partitions 2-3) on a: its staged output is incomplete", false), first);
        Assert.True(second.GaveUp);
        Assert.Equal([first.Reason, second.Reason], job.Retries);
        Assert.Equal(2, job.AbandonedStaging.Count);
    }

    [Fact]
    public void The_job_is_done_when_every_unit_is_committed_and_none_is_in_flight()
    {
        var job = Job(1);
        var ledger = Ledger(job);
        var attempt = Attempt(0, "a", Scored(5, "a"));
        ledger.Sent(attempt);
        ledger.Sent(Attempt(0, "b", new TaskCompletionSource<UnitResult>().Task));
        ledger.Judge(attempt);
        ledger.Commit(attempt);
        Assert.False(ledger.IsDone);

        ledger.AbandonInFlight();

        Assert.True(ledger.IsDone);
        Assert.Equal(["scoring/j/0-b"], job.AbandonedStaging);
    }
}
