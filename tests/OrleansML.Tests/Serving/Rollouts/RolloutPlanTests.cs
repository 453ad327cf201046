using OrleansML.Errors;
using OrleansML.Serving;
using OrleansML.Serving.Rollouts;

namespace OrleansML.Tests.Serving.Rollouts;

/// <summary>The rollout rules with no cluster: validation, and each decision a step can end in.</summary>
public sealed class RolloutPlanTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly RolloutSpec Spec = new() { Candidate = 2, StepDuration = TimeSpan.FromSeconds(10), MinRequests = 20 };

    private static readonly DateTimeOffset AfterStep = T0 + TimeSpan.FromSeconds(10);

    private static RolloutFigures Healthy(long baseline = 400, long candidate = 25) => new()
    {
        BaselineRequests = baseline,
        BaselineP99Ms = 1.0,
        CandidateRequests = candidate,
        CandidateP99Ms = 1.2,
    };

    [Fact]
    public void A_step_whose_duration_has_not_passed_waits_with_its_figures()
    {
        var rollout = RolloutPlan.Start(Spec, baselineVersion: 1, T0);

        var next = RolloutPlan.Judge(rollout, Healthy(), T0 + TimeSpan.FromSeconds(9));

        Assert.Equal(RolloutDecision.Wait, next.Decision);
        Assert.Equal(0, next.Step);
        Assert.Equal(5, next.Percent);
        Assert.Equal(25, next.Figures.CandidateRequests);
        Assert.Contains("runs until", next.Reason);
    }

    [Fact]
    public void A_step_past_its_duration_waits_for_min_requests_on_each_side_and_says_so()
    {
        var rollout = RolloutPlan.Start(Spec, 1, T0);

        var next = RolloutPlan.Judge(rollout, Healthy(candidate: 19) with { CandidateP99Ms = 500 }, AfterStep);

        Assert.Equal(RolloutDecision.Wait, next.Decision);
        Assert.Equal(RolloutState.Running, next.State);
        Assert.Contains("candidate 19, baseline 400", next.Reason);
        Assert.Equal(RolloutDecision.Wait, RolloutPlan.Judge(rollout, Healthy(baseline: 3), AfterStep).Decision);
    }

    [Fact]
    public void A_healthy_step_advances_to_the_next_share_and_records_the_finished_step()
    {
        var rollout = RolloutPlan.Start(Spec, 1, T0);

        var next = RolloutPlan.Judge(rollout, Healthy(), AfterStep);

        Assert.Equal(RolloutDecision.Advance, next.Decision);
        Assert.Equal(RolloutState.Running, next.State);
        Assert.Equal(1, next.Step);
        Assert.Equal(25, next.Percent);
        Assert.Equal(AfterStep, next.StepStartedAt);
        Assert.Equal(RolloutFigures.Zero, next.Figures);
        var finished = Assert.Single(next.Completed);
        Assert.Equal((0, 5, RolloutDecision.Advance, 25L), (finished.Step, finished.Percent, finished.Decision, finished.Figures.CandidateRequests));
    }

    [Fact]
    public void The_last_step_promotes_even_with_no_baseline_requests_left()
    {
        var rollout = RolloutPlan.Start(Spec with { Steps = [50, 100] }, 1, T0);
        var second = RolloutPlan.Judge(rollout, Healthy(), AfterStep);

        var done = RolloutPlan.Judge(second, Healthy(baseline: 0, candidate: 40) with { BaselineP99Ms = 0 }, AfterStep + Spec.StepDuration);

        Assert.Equal(RolloutDecision.Promote, done.Decision);
        Assert.Equal(RolloutState.Succeeded, done.State);
        Assert.Equal(100, done.Percent);
        Assert.Equal(AfterStep + Spec.StepDuration, done.EndedAt);
        Assert.Equal(2, done.Completed.Length);
        Assert.Null(done.Guard);
    }

    [Fact]
    public void A_candidate_error_rate_above_the_guard_rolls_back_naming_the_guard_and_figures()
    {
        var rollout = RolloutPlan.Start(Spec, 1, T0);

        var next = RolloutPlan.Judge(rollout, Healthy() with { CandidateErrors = 2 }, AfterStep);

        Assert.Equal(RolloutDecision.RollBack, next.Decision);
        Assert.Equal(RolloutState.RolledBack, next.State);
        Assert.Equal(RolloutGuard.ErrorRate, next.Guard);
        Assert.Equal(0, next.Percent);
        Assert.Equal(0.08, next.Figures.CandidateErrorRate, 6);
        Assert.Contains("0.08 (2 of 25)", next.Reason);
        Assert.Contains("maxErrorRate 0.05", next.Reason);
    }

    [Fact]
    public void A_candidate_p99_above_the_ratio_rolls_back_naming_the_guard_and_both_latencies()
    {
        var rollout = RolloutPlan.Start(Spec, 1, T0);

        var next = RolloutPlan.Judge(rollout, Healthy() with { CandidateP99Ms = 20 }, AfterStep);

        Assert.Equal(RolloutDecision.RollBack, next.Decision);
        Assert.Equal(RolloutGuard.P99Ratio, next.Guard);
        Assert.Equal(0, next.Percent);
        Assert.Equal(20, next.Figures.P99Ratio, 6);
        Assert.Contains("candidate p99 20 ms is 20x the baseline's 1 ms", next.Reason);
        Assert.Equal(RolloutDecision.RollBack, Assert.Single(next.Completed).Decision);
    }

    [Fact]
    public void A_slow_candidate_at_100_percent_is_judged_against_the_baseline_p99_of_the_step_before()
    {
        var second = RolloutPlan.Judge(RolloutPlan.Start(Spec with { Steps = [50, 100] }, 1, T0), Healthy(), AfterStep);

        var next = RolloutPlan.Judge(second, Healthy(baseline: 0) with { BaselineP99Ms = 0, CandidateP99Ms = 9 }, AfterStep + Spec.StepDuration);

        Assert.Equal(RolloutGuard.P99Ratio, next.Guard);
        Assert.Equal(1.0, next.Figures.BaselineP99Ms);
    }

    [Fact]
    public void Abort_returns_every_request_to_the_baseline_and_records_the_step()
    {
        var rollout = RolloutPlan.Judge(RolloutPlan.Start(Spec, 1, T0), Healthy(), T0 + TimeSpan.FromSeconds(1));

        var aborted = RolloutPlan.Abort(rollout, AfterStep);

        Assert.Equal(RolloutState.Aborted, aborted.State);
        Assert.Equal(RolloutDecision.Abort, aborted.Decision);
        Assert.Equal(0, aborted.Percent);
        Assert.Equal(25, Assert.Single(aborted.Completed).Figures.CandidateRequests);
        Assert.False(aborted.IsRunning);
    }

    [Fact]
    public void Restart_measures_the_running_step_again_from_now()
    {
        var rollout = RolloutPlan.Judge(RolloutPlan.Start(Spec, 1, T0), Healthy(), T0 + TimeSpan.FromSeconds(1));

        var restarted = RolloutPlan.Restart(rollout, AfterStep);

        Assert.Equal(AfterStep, restarted.StepStartedAt);
        Assert.Equal(RolloutFigures.Zero, restarted.Figures);
        Assert.Equal(RolloutState.Running, restarted.State);
        Assert.Equal(RolloutDecision.Wait, RolloutPlan.Judge(restarted, Healthy(), AfterStep + TimeSpan.FromSeconds(9)).Decision);
    }

    [Theory]
    [InlineData("steps", new[] { 5, 5, 100 }, "steps must increase")]
    [InlineData("steps", new[] { 50, 25, 100 }, "steps must increase")]
    [InlineData("steps", new[] { 5, 25, 50 }, "steps must end at 100")]
    [InlineData("steps", new[] { 0, 100 }, "steps[0] is 0")]
    [InlineData("steps", new[] { 50, 150 }, "steps[1] is 150")]
    [InlineData("steps", new int[0], "at least one percentage")]
    public void Steps_that_do_not_increase_or_do_not_end_at_100_are_refused(string field, int[] steps, string message)
    {
        var error = Assert.Throws<PlatformException>(() => RolloutPlan.Validate(Spec with { Steps = steps }));

        Assert.Equal(ErrorKind.Invalid, error.Kind);
        Assert.Contains(field, error.Message);
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData("maxErrorRate", -0.1, 2, 20, 10)]
    [InlineData("maxErrorRate", 1.5, 2, 20, 10)]
    [InlineData("maxErrorRate", double.NaN, 2, 20, 10)]
    [InlineData("maxP99Ratio", 0.05, 0.5, 20, 10)]
    [InlineData("maxP99Ratio", 0.05, 101, 20, 10)]
    [InlineData("minRequests", 0.05, 2, 0, 10)]
    [InlineData("stepDuration", 0.05, 2, 20, 0.5)]
    [InlineData("stepDuration", 0.05, 2, 20, 90_000)]
    public void A_guard_or_duration_outside_its_range_is_refused_naming_the_field(string field, double maxErrorRate, double maxP99Ratio, int minRequests, double seconds)
    {
        var spec = Spec with { MaxErrorRate = maxErrorRate, MaxP99Ratio = maxP99Ratio, MinRequests = minRequests, StepDuration = TimeSpan.FromSeconds(seconds) };

        var error = Assert.Throws<PlatformException>(() => RolloutPlan.Validate(spec));

        Assert.Equal(ErrorKind.Invalid, error.Kind);
        Assert.StartsWith(field, error.Message);
    }

    [Fact]
    public void Per_silo_deltas_drop_a_silo_that_died_and_count_one_that_joined_from_zero()
    {
        static LatencyHistogram At(double ms, long count)
        {
            var counts = new long[LatencyHistogram.BucketCount];
            counts[LatencyHistogram.BucketOf(ms * 1e6)] = count;
            return new LatencyHistogram(counts);
        }

        var start = new RolloutSample(new Dictionary<string, (SideCounters, SideCounters)>
        {
            ["a"] = (new SideCounters(100, 0, At(1, 100)), new SideCounters(10, 1, At(4, 9))),
            ["dead"] = (new SideCounters(500, 0, At(1, 500)), new SideCounters(50, 0, At(1, 50))),
        });
        var now = new RolloutSample(new Dictionary<string, (SideCounters, SideCounters)>
        {
            ["a"] = (new SideCounters(300, 0, At(1, 300)), new SideCounters(40, 3, At(4, 37))),
            ["joined"] = (new SideCounters(50, 0, At(1, 50)), new SideCounters(5, 0, At(4, 5))),
        });

        var figures = now.Since(start);

        Assert.Equal((250L, 0L, 35L, 2L), (figures.BaselineRequests, figures.BaselineErrors, figures.CandidateRequests, figures.CandidateErrors));
        Assert.InRange(figures.BaselineP99Ms, 1, 1.2);
        Assert.InRange(figures.CandidateP99Ms, 4, 4.8);
    }

    [Fact]
    public void Latency_histograms_add_and_subtract_exactly_and_give_the_99th_percentile()
    {
        var fast = new long[LatencyHistogram.BucketCount];
        fast[LatencyHistogram.BucketOf(100_000)] = 99;
        var slow = new long[LatencyHistogram.BucketCount];
        slow[LatencyHistogram.BucketOf(10_000_000)] = 1;
        var merged = new LatencyHistogram(fast).Add(new LatencyHistogram(slow));

        Assert.Equal(100, merged.Total);
        Assert.InRange(merged.PercentileMs(0.99), 0.1, 0.12);
        Assert.InRange(merged.PercentileMs(1), 10, 12);
        Assert.Equal(new LatencyHistogram(fast).Counts, merged.Subtract(new LatencyHistogram(slow)).Counts);
        Assert.Equal(0, LatencyHistogram.Empty.PercentileMs(0.99));
    }
}
