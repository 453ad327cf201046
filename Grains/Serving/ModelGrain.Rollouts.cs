using OrleansML.Errors;
using OrleansML.Serving.Rollouts;

namespace OrleansML.Serving;

/// <summary>The model's progressive rollout, driven by <see cref="RolloutDriver"/> on its reminder.</summary>
public sealed partial class ModelGrain
{
    public async Task<RolloutInfo> StartRolloutAsync(RolloutSpec spec)
    {
        RequireModel();
        RequireNoRollout("a second rollout");
        var baseline = RolloutPlan.Check(Snapshot(), spec);
        await WarmOrFailAsync(spec.Candidate);
        await Rollouts.StartAsync(spec, baseline);
        return state.State.Rollout!;
    }

    public Task<RolloutInfo?> GetRolloutAsync() => Task.FromResult(state.State.Rollout);

    public async Task<RolloutInfo> AbortRolloutAsync()
    {
        RequireModel();
        if (state.State.Rollout is not { IsRunning: true } rollout)
        {
            throw PlatformException.Conflict($"model '{Name}' has no running rollout to abort.");
        }

        await Rollouts.AbortAsync(rollout);
        return state.State.Rollout!;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Rollouts.OnReminderAsync();

    /// <summary>Stores the rollout's new state; a promotion also points the baseline label at the candidate.</summary>
    private async Task ApplyRolloutAsync(RolloutInfo rollout, bool commit)
    {
        if (rollout.State == RolloutState.Succeeded)
        {
            state.State.Labels[rollout.Spec.Baseline] = rollout.Spec.Candidate;
        }

        state.State.Rollout = rollout;
        if (commit)
        {
            await CommitAsync();
        }
    }

    private void RequireNoRollout(string change)
    {
        if (state.State.Rollout is { IsRunning: true } rollout)
        {
            throw PlatformException.Conflict(
                $"model '{Name}' has a rollout of version {rollout.Spec.Candidate} against label '{rollout.Spec.Baseline}' running " +
                $"(step {rollout.Step + 1}, {rollout.Percent} %); {change} cannot change until it ends or is aborted (DELETE /api/models/{Name}/rollouts).");
        }
    }
}
