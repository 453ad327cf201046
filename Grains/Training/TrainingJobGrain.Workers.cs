using System.Diagnostics;
using OrleansML.Jobs;

namespace OrleansML.Training;

/// <summary>
/// The coordinator's worker group: forming it on the live silos, calling it under the worker timeout, its rounds
/// and checkpoints, and the recovery when a call fails. The only file that writes the group.
/// </summary>
public sealed partial class TrainingJobGrain
{
    private WorkerGroup? _group;
    private WorkerInfo[] _workers = [];

    private async Task<bool> FormGroupAsync()
    {
        var slots = WorkerPlacement.Assign(await Silos.LiveAsync(), Spec.Workers);
        state.State.Generation++;
        await state.WriteStateAsync();
        var group = WorkerGroup.Of(JobId, state.State.Generation, slots, key => GrainFactory.GetGrain<ITrainingWorkerGrain>(key));
        var setups = group.Setups(state.State, _options, Checkpoints.StoredKey);

        if (!await CallAsync(group, group.Grains.Select((w, rank) => w.InitializeAsync(setups[rank])).ToArray(), "initializing workers"))
        {
            return false;
        }

        (_group, _workers) = (group, group.Workers);
        return true;
    }

    /// <summary>
    /// Waits for every call at most the worker timeout (beyond the time the work is <paramref name="expected"/> to
    /// take); on failure re-forms the group and returns false.
    /// </summary>
    private async Task<bool> CallAsync(WorkerGroup group, Task[] calls, string what, TimeSpan expected = default)
    {
        if (await group.FailureOfAsync(calls, what, _options.WorkerTimeout + expected, Silos.AnswersAsync) is not { } reason)
        {
            return true;
        }

        await RecoverAsync(reason);
        return false;
    }

    /// <summary>
    /// Runs the next call of rounds on every worker. Workers run several rounds per call (they derive each round's
    /// rows from the plan and keep in step through the all-reduce), so a round costs no coordinator hop; a call
    /// stops at the next checkpoint round, where rank 0 writes a checkpoint in the background while the next rounds run.
    /// </summary>
    private async Task<bool> RunRoundsAsync(long until)
    {
        var group = _group!;
        var first = Rounds.Round;
        var count = Rounds.RoundsFitting(Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), until));
        var end = first + count;
        var checkpoint = Rounds.CheckpointDueAfter(end) ? Checkpoints.NextKey() : null;
        var started = Stopwatch.GetTimestamp();
        var calls = group.Grains.Select((w, rank) => w.RunRoundsAsync(new RoundsWork(first, count, rank == 0 ? checkpoint : null))).ToArray();
        // The rounds after the first are expected to take what the last rounds took: the worker timeout counts from
        // there, so a dead worker is noticed at most the timeout after the call should have ended.
        var ok = await CallAsync(group, calls, count == 1 ? $"round {first + 1}" : $"rounds {first + 1} to {end}", Rounds.ExpectedBeyondFirst(count));
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (!ok)
        {
            Rounds.Failed(elapsed);
            return false;
        }

        _backoff.Reset();
        foreach (var (milliseconds, samples, loss) in Rounds.Record(first, count, calls.Select(c => c.Result).ToArray(), elapsed))
        {
            metrics.RecordRound(JobId, Spec.Model, milliseconds, samples, loss);
        }

        if (checkpoint is not null)
        {
            Checkpoints.Ask(end, Rounds.EpochLoss, checkpoint);
        }

        return true;
    }

    /// <summary>
    /// Waits for the last checkpoint asked of rank 0 to be written and stores the job's state naming it (with the
    /// history up to its round), then deletes the checkpoint the state named before.
    /// </summary>
    private async Task StoreCheckpointAsync()
    {
        if (Checkpoints.Asked is not { } asked)
        {
            return;
        }

        var group = _group!;
        var flush = group.Leader.FlushCheckpointAsync();
        if (!await CallAsync(group, [flush], $"writing the checkpoint after round {asked.Round}"))
        {
            return;
        }

        var (stored, obsolete) = Checkpoints.Written(flush.Result);
        if (stored)
        {
            await state.WriteStateAsync();
        }

        if (obsolete is not null)
        {
            await artifacts.DeleteAsync(obsolete);
        }
    }

    private async Task RecoverAsync(string reason)
    {
        // What the failed group was writing is not the job's checkpoint; EndAsync deletes it with the rest.
        _ = StopWorkers();
        Checkpoints.Forget();
        Move(JobOutcome.Interrupted);
        _backoff.Wait(Stopwatch.GetTimestamp());
        state.State.Recoveries.Add($"{reason}; resuming from round {state.State.CheckpointRound}");
        LogRecovering(logger, JobId, reason, state.State.CheckpointRound);
        if (state.State.Recoveries.Count > _options.MaxRecoveries)
        {
            throw new InvalidOperationException($"gave up after {_options.MaxRecoveries} recoveries; last: {reason}");
        }

        Rounds.Restore();
        await state.WriteStateAsync();
    }

    private Task StopWorkers()
    {
        var group = _group;
        _group = null;
        return group?.StopAsync(ProbeTimeout) ?? Task.CompletedTask;
    }
}
