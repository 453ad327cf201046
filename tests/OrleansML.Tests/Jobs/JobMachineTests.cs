using OrleansML.Jobs;

namespace OrleansML.Tests.Jobs;

public sealed class JobMachineTests
{
    private static JobMachine Running()
    {
        var machine = new JobMachine(JobPhase.Pending);
        machine.Apply(JobOutcome.Began);
        machine.Apply(JobOutcome.Prepared);
        return machine;
    }

    [Fact]
    public void A_job_that_runs_without_trouble_goes_pending_preparing_running_publishing_succeeded()
    {
        var machine = new JobMachine(JobPhase.Pending);

        var phases = new[] { JobOutcome.Began, JobOutcome.Prepared, JobOutcome.WorkDone, JobOutcome.Published }.Select(machine.Apply).ToArray();

        Assert.Equal([JobPhase.Preparing, JobPhase.Running, JobPhase.Publishing, JobPhase.Succeeded], phases);
        Assert.True(machine.IsFinished);
        Assert.False(machine.IsActive);
    }

    [Fact]
    public void An_interrupted_job_recovers_and_runs_again_as_often_as_it_is_interrupted()
    {
        var machine = Running();

        Assert.Equal(JobPhase.Recovering, machine.Apply(JobOutcome.Interrupted));
        Assert.True(machine.IsActive);
        Assert.Equal(JobPhase.Running, machine.Apply(JobOutcome.Resumed));
        Assert.Equal(JobPhase.Recovering, machine.Apply(JobOutcome.Interrupted));
        Assert.Equal(JobPhase.Recovering, machine.Apply(JobOutcome.Interrupted));
        Assert.Equal(JobPhase.Running, machine.Apply(JobOutcome.Resumed));
    }

    [Fact]
    public void A_job_interrupted_before_it_was_ready_begins_preparing_again()
    {
        var machine = new JobMachine(JobPhase.Pending);
        machine.Apply(JobOutcome.Began);
        machine.Apply(JobOutcome.Interrupted);

        Assert.Equal(JobPhase.Preparing, machine.Apply(JobOutcome.Began));
        Assert.Equal(JobPhase.Running, machine.Apply(JobOutcome.Prepared));
    }

    [Theory]
    [InlineData(JobPhase.Preparing)]
    [InlineData(JobPhase.Publishing)]
    public void A_job_interrupted_while_preparing_or_publishing_recovers(JobPhase phase)
    {
        var machine = new JobMachine(phase);

        Assert.Equal(JobPhase.Recovering, machine.Apply(JobOutcome.Interrupted));
    }

    [Theory]
    [InlineData(JobPhase.Pending)]
    [InlineData(JobPhase.Preparing)]
    [InlineData(JobPhase.Running)]
    [InlineData(JobPhase.Recovering)]
    [InlineData(JobPhase.Publishing)]
    public void A_job_that_is_not_finished_can_fail_or_be_cancelled(JobPhase phase)
    {
        Assert.Equal(JobPhase.Failed, new JobMachine(phase).Apply(JobOutcome.Faulted));
        Assert.Equal(JobPhase.Cancelled, new JobMachine(phase).Apply(JobOutcome.CancelRequested));
    }

    [Theory]
    [InlineData(JobPhase.Succeeded)]
    [InlineData(JobPhase.Failed)]
    [InlineData(JobPhase.Cancelled)]
    public void A_finished_job_takes_no_outcome_but_a_stale_activations_step_aside(JobPhase phase)
    {
        foreach (var outcome in Enum.GetValues<JobOutcome>().Where(o => o != JobOutcome.Superseded))
        {
            var machine = new JobMachine(phase);
            Assert.False(machine.Accepts(outcome), $"{phase} accepts {outcome}");
            Assert.Throws<InvalidOperationException>(() => machine.Apply(outcome));
            Assert.Equal(phase, machine.Phase);
        }

        // The activation that thought it ended the job had its final write refused: the job is the other one's.
        Assert.Equal(JobPhase.SteppedAside, new JobMachine(phase).Apply(JobOutcome.Superseded));
    }

    [Fact]
    public void A_stale_activation_steps_aside_from_any_phase_and_then_drives_nothing()
    {
        foreach (var phase in Enum.GetValues<JobPhase>().Where(p => p != JobPhase.SteppedAside))
        {
            var machine = new JobMachine(phase);

            Assert.Equal(JobPhase.SteppedAside, machine.Apply(JobOutcome.Superseded));
            Assert.False(machine.IsActive);
            Assert.False(machine.IsFinished);
            Assert.All(Enum.GetValues<JobOutcome>(), outcome => Assert.False(machine.Accepts(outcome)));
            Assert.Throws<InvalidOperationException>(() => machine.Apply(JobOutcome.Faulted));
        }
    }

    [Theory]
    [InlineData(JobPhase.Pending, JobOutcome.Prepared)]
    [InlineData(JobPhase.Pending, JobOutcome.WorkDone)]
    [InlineData(JobPhase.Preparing, JobOutcome.Resumed)]
    [InlineData(JobPhase.Running, JobOutcome.Published)]
    [InlineData(JobPhase.Running, JobOutcome.Resumed)]
    [InlineData(JobPhase.Recovering, JobOutcome.WorkDone)]
    [InlineData(JobPhase.Publishing, JobOutcome.WorkDone)]
    [InlineData(JobPhase.Pending, JobOutcome.Interrupted)]
    public void An_outcome_the_phase_does_not_expect_is_refused_and_changes_nothing(JobPhase phase, JobOutcome outcome)
    {
        var machine = new JobMachine(phase);

        var error = Assert.Throws<InvalidOperationException>(() => machine.Apply(outcome));

        Assert.Contains(phase.ToString(), error.Message);
        Assert.Equal(phase, machine.Phase);
    }
}
