using System.Globalization;
using OrleansML.Errors;

namespace OrleansML.Serving.Rollouts;

/// <summary>
/// The rules of a progressive rollout, with no cluster in them: which specs are valid, and given the running step
/// and what each side served in it, whether to wait, advance, promote the candidate or roll it back.
/// </summary>
public static class RolloutPlan
{
    public static readonly TimeSpan MinStepDuration = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxStepDuration = TimeSpan.FromDays(1);

    /// <summary>Refuses a spec whose steps, duration or guards are out of range, naming the field.</summary>
    public static void Validate(RolloutSpec spec)
    {
        if (spec.Candidate < 1)
        {
            throw PlatformException.Invalid($"candidate must be a version number of 1 or more (got {spec.Candidate}).");
        }

        if (spec.Steps is not { Length: > 0 } steps)
        {
            throw PlatformException.Invalid("steps must list at least one percentage, ending at 100.");
        }

        for (var i = 0; i < steps.Length; i++)
        {
            if (steps[i] is < 1 or > 100)
            {
                throw PlatformException.Invalid($"steps[{i}] is {steps[i]}; each step is a percentage from 1 to 100.");
            }

            if (i > 0 && steps[i] <= steps[i - 1])
            {
                throw PlatformException.Invalid($"steps must increase: steps[{i}] ({steps[i]}) is not above steps[{i - 1}] ({steps[i - 1]}).");
            }
        }

        if (steps[^1] != 100)
        {
            throw PlatformException.Invalid($"steps must end at 100 (the last is {steps[^1]}).");
        }

        if (spec.StepDuration < MinStepDuration || spec.StepDuration > MaxStepDuration)
        {
            throw PlatformException.Invalid($"stepDuration is {spec.StepDuration.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s; it must be from 1 s to 1 day.");
        }

        if (!(spec.MaxErrorRate is >= 0 and <= 1))
        {
            throw PlatformException.Invalid($"maxErrorRate is {Show(spec.MaxErrorRate)}; it must be from 0 to 1.");
        }

        if (!(spec.MaxP99Ratio is >= 1 and <= 100))
        {
            throw PlatformException.Invalid($"maxP99Ratio is {Show(spec.MaxP99Ratio)}; it must be from 1 to 100.");
        }

        if (spec.MinRequests < 1)
        {
            throw PlatformException.Invalid($"minRequests is {spec.MinRequests}; it must be 1 or more.");
        }
    }

    /// <summary>
    /// Refuses a rollout the model cannot run (a bad spec, a baseline label it lacks, a candidate that is unknown,
    /// not AVAILABLE or already the baseline, a traffic split in the way); returns the baseline's version.
    /// </summary>
    public static int Check(ModelInfo model, RolloutSpec spec)
    {
        Validate(spec);
        if (!ResourceNames.IsValid(spec.Baseline) || spec.Baseline.Length > 32)
        {
            throw PlatformException.Invalid($"baseline label '{spec.Baseline}' is invalid: use 1-32 letters, digits, '.', '_' or '-'.");
        }

        if (!model.Labels.TryGetValue(spec.Baseline, out var baseline))
        {
            throw PlatformException.Invalid($"baseline label '{spec.Baseline}' not found on model '{model.Name}'; point it at the version serving now first.");
        }

        var candidate = model.Versions.FirstOrDefault(v => v.Version == spec.Candidate)
            ?? throw PlatformException.NotFound($"candidate version {spec.Candidate} of model '{model.Name}' not found.");
        if (candidate.State != VersionState.Available)
        {
            throw PlatformException.Conflict($"candidate version {spec.Candidate} of model '{model.Name}' is {candidate.State.ToString().ToUpperInvariant()}{(candidate.FailureReason is null ? "" : $" ({candidate.FailureReason})")}; only AVAILABLE versions can be rolled out.");
        }

        if (spec.Candidate == baseline)
        {
            throw PlatformException.Invalid($"candidate version {spec.Candidate} is already what label '{spec.Baseline}' points at.");
        }

        if (model.TrafficSplit.Count > 0)
        {
            throw PlatformException.Conflict($"model '{model.Name}' has a traffic split; clear it first (a rollout routes unaddressed requests itself).");
        }

        return baseline;
    }

    /// <summary>A rollout at its first step.</summary>
    public static RolloutInfo Start(RolloutSpec spec, int baselineVersion, DateTimeOffset now) => new()
    {
        Spec = spec,
        BaselineVersion = baselineVersion,
        State = RolloutState.Running,
        Step = 0,
        Percent = spec.Steps[0],
        StartedAt = now,
        StepStartedAt = now,
        Reason = $"step 1 of {spec.Steps.Length} ({spec.Steps[0]} %) started.",
    };

    /// <summary>
    /// Starts the running step's window again with no figures: the counters it was measured from were lost (the
    /// model grain was activated again, on another silo after its own died).
    /// </summary>
    public static RolloutInfo Restart(RolloutInfo rollout, DateTimeOffset now) => rollout with
    {
        StepStartedAt = now,
        Figures = RolloutFigures.Zero,
        Decision = RolloutDecision.Wait,
        Reason = $"step {rollout.Step + 1} ({rollout.Percent} %) measured again from {now:O}: the model grain was activated again.",
    };

    /// <summary>Judges the running step on what each side served since it started.</summary>
    public static RolloutInfo Judge(RolloutInfo rollout, RolloutFigures figures, DateTimeOffset now)
    {
        var spec = rollout.Spec;
        var step = $"step {rollout.Step + 1} ({rollout.Percent} %)";
        var waiting = rollout with { Figures = figures, Decision = RolloutDecision.Wait };
        if (now - rollout.StepStartedAt < spec.StepDuration)
        {
            return waiting with { Reason = $"{step} runs until {rollout.StepStartedAt + spec.StepDuration:O}." };
        }

        // At 100 % only requests that name the baseline reach it: its p99 of the step before is the reference then.
        var full = rollout.Percent == 100;
        if (full && figures.BaselineRequests < spec.MinRequests && rollout.Completed.Length > 0)
        {
            figures = figures with { BaselineP99Ms = rollout.Completed[^1].Figures.BaselineP99Ms };
        }

        if (figures.CandidateRequests < spec.MinRequests || (!full && figures.BaselineRequests < spec.MinRequests))
        {
            return waiting with
            {
                Reason = $"{step} waits for {spec.MinRequests} requests on each side: candidate {figures.CandidateRequests}, baseline {figures.BaselineRequests}.",
            };
        }

        if (figures.CandidateErrorRate > spec.MaxErrorRate)
        {
            return RollBack(rollout, figures, now, RolloutGuard.ErrorRate,
                $"{step}: candidate error rate {Show(figures.CandidateErrorRate)} ({figures.CandidateErrors} of {figures.CandidateRequests}) is above maxErrorRate {Show(spec.MaxErrorRate)}.");
        }

        if (figures.P99Ratio > spec.MaxP99Ratio)
        {
            return RollBack(rollout, figures, now, RolloutGuard.P99Ratio,
                $"{step}: candidate p99 {Show(figures.CandidateP99Ms)} ms is {Show(figures.P99Ratio)}x the baseline's {Show(figures.BaselineP99Ms)} ms, above maxP99Ratio {Show(spec.MaxP99Ratio)}.");
        }

        var last = rollout.Step == spec.Steps.Length - 1;
        var done = Finish(rollout, figures, now, last ? RolloutDecision.Promote : RolloutDecision.Advance);
        if (last)
        {
            return done with
            {
                State = RolloutState.Succeeded,
                Reason = $"promoted: label '{spec.Baseline}' points at version {spec.Candidate}.",
                EndedAt = now,
            };
        }

        var next = rollout.Step + 1;
        return done with
        {
            Step = next,
            Percent = spec.Steps[next],
            StepStartedAt = now,
            Figures = RolloutFigures.Zero,
            Reason = $"{step} passed; step {next + 1} of {spec.Steps.Length} ({spec.Steps[next]} %) started.",
        };
    }

    /// <summary>Ends the rollout at the caller's request: every unaddressed request goes back to the baseline.</summary>
    public static RolloutInfo Abort(RolloutInfo rollout, DateTimeOffset now) =>
        Finish(rollout, rollout.Figures, now, RolloutDecision.Abort) with
        {
            State = RolloutState.Aborted,
            Percent = 0,
            Reason = $"aborted at step {rollout.Step + 1} ({rollout.Percent} %); all traffic is back on version {rollout.BaselineVersion}.",
            EndedAt = now,
        };

    private static RolloutInfo RollBack(RolloutInfo rollout, RolloutFigures figures, DateTimeOffset now, RolloutGuard guard, string reason) =>
        Finish(rollout, figures, now, RolloutDecision.RollBack) with
        {
            State = RolloutState.RolledBack,
            Percent = 0,
            Guard = guard,
            Reason = $"rolled back by the {guard} guard at {reason}",
            EndedAt = now,
        };

    private static RolloutInfo Finish(RolloutInfo rollout, RolloutFigures figures, DateTimeOffset now, RolloutDecision decision) => rollout with
    {
        Figures = figures,
        Decision = decision,
        Completed = [.. rollout.Completed, new RolloutStepResult(rollout.Step, rollout.Percent, rollout.StepStartedAt, now, figures, decision)],
    };

    private static string Show(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
