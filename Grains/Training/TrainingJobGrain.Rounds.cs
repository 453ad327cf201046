using System.Diagnostics;

namespace OrleansML.Training;

/// <summary>
/// The coordinator's rounds and checkpoints. Workers run several rounds per call (they derive each round's rows
/// from the plan and keep in step through the all-reduce), so a round costs no coordinator hop; a call runs across
/// epoch ends (rank 0 evaluates the validation rows there and the result carries it), stops at the next checkpoint
/// round, and at about what fits in the tick's budget. Rank 0 writes a checkpoint in the
/// background while the next rounds run; at the end of each tick the coordinator waits for the last one asked and
/// stores the job's state naming it. New checkpoints go to the generation's key the stored state does not name, so
/// the checkpoint recovery would use is never being overwritten.
/// </summary>
public sealed partial class TrainingJobGrain
{
    /// <summary>
    /// The longest a call of rounds is sized to take: a cancel waits for the call in progress, and progress shows
    /// in the status once per call.
    /// </summary>
    private static readonly TimeSpan LongestCall = TimeSpan.FromMilliseconds(250);

    private PendingCheckpoint? _asked;
    private double _roundMs;
    private double _epochMs;

    /// <summary>The checkpoint the stored state names, or null before the first one.</summary>
    private string? StoredCheckpointKey =>
        state.State.CheckpointRound == 0 ? null : state.State.CheckpointKey ?? $"training/{JobId}/checkpoint";

    private string CheckpointKey(int generation, int slot) => $"training/{JobId}/checkpoint-{generation}-{slot}";

    private async Task<bool> RunRoundsAsync(long until)
    {
        var group = _group!;
        var first = _round;
        var count = RoundsFitting(until);
        var end = first + count;
        var checkpoint = end < TotalRounds && end % CheckpointEveryRounds == 0 ? NextCheckpointKey() : null;
        var started = Stopwatch.GetTimestamp();
        var calls = group.Grains.Select((w, rank) => w.RunRoundsAsync(new RoundsWork(first, count, rank == 0 ? checkpoint : null))).ToArray();
        // The rounds after the first are expected to take what the last rounds took: the worker timeout counts from
        // there, so a dead worker is noticed at most the timeout after the call should have ended.
        var ok = await WaitAllAsync(calls, group, count == 1 ? $"round {first + 1}" : $"rounds {first + 1} to {end}",
            TimeSpan.FromMilliseconds((count - 1) * _roundMs));
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (!ok)
        {
            RecordDuration(elapsed);
            return false;
        }

        _consecutiveRecoveries = 0;
        _roundMs = elapsed / count;
        var results = calls.Select(c => c.Result).ToArray();
        var evaluations = results[0].Evaluations.AsEnumerable().GetEnumerator();
        for (var k = 0; k < count; k++)
        {
            var loss = results.Sum(r => r.WeightedLosses[k]);
            var milliseconds = results.Max(r => r.DurationsMs[k]);
            RecordDuration(milliseconds);
            metrics.RecordRound(JobId, Spec.Model, milliseconds, Plan.BatchLength(first + k), loss);
            _epochLoss += loss;
            _epochMs += results[0].WallMs[k];
            _loss = loss;
            if ((first + k + 1) % Plan.RoundsPerEpoch == 0)
            {
                EndEpoch((int)((first + k + 1) / Plan.RoundsPerEpoch), evaluations.MoveNext() ? evaluations.Current : null);
            }
        }

        _bytesPerWorker = results.Max(r => r.BytesSent);
        _gradientBytes = results[0].GradientFloats * sizeof(float);
        _round = end;
        if (checkpoint is not null)
        {
            _asked = new PendingCheckpoint(end, _epochLoss, checkpoint);
        }

        return true;
    }

    private int CheckpointEveryRounds => Math.Max(1, _options.CheckpointEveryRounds);

    /// <summary>
    /// The rounds of the next call: up to the next checkpoint round or the job's end, and as many as the last
    /// measured round time fits in what is left of the tick and in <see cref="LongestCall"/> (at least one).
    /// </summary>
    private int RoundsFitting(long until)
    {
        var next = Math.Min(TotalRounds, NextMultiple(CheckpointEveryRounds));
        var left = Math.Min(Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), until).TotalMilliseconds, LongestCall.TotalMilliseconds);
        var fitting = _roundMs > 0 ? (long)(left / _roundMs) : 1;
        return (int)Math.Clamp(fitting, 1, next - _round);

        long NextMultiple(long step) => (_round / step + 1) * step;
    }

    /// <summary>
    /// Records epoch <paramref name="epoch"/> (1-based) in the history: its mean round loss, the validation result
    /// rank 0 took at its end, and its duration on rank 0's clock (every round's wall-clock share, so the time
    /// between calls counts).
    /// </summary>
    private void EndEpoch(int epoch, Evaluation? evaluation)
    {
        double? validationLoss = null, accuracy = null;
        if (evaluation is { Count: > 0 })
        {
            validationLoss = evaluation.LossSum / evaluation.Count;
            accuracy = state.State.Dataset!.IsClassification ? (double)evaluation.Correct / evaluation.Count : null;
        }

        state.State.History.Add(new EpochSummary(epoch, _epochLoss / Plan.RoundsPerEpoch, validationLoss, accuracy, _epochMs));
        _epochLoss = 0;
        _epochMs = 0;
    }

    /// <summary>The key of the group's generation that the stored state does not name.</summary>
    private string NextCheckpointKey()
    {
        var key = CheckpointKey(state.State.Generation, 0);
        return key == StoredCheckpointKey ? CheckpointKey(state.State.Generation, 1) : key;
    }

    /// <summary>
    /// Waits for the last checkpoint asked of rank 0 to be written and stores the job's state naming it (with the
    /// history up to its round), then deletes the checkpoint the state named before.
    /// </summary>
    private async Task StoreCheckpointAsync()
    {
        if (_asked is not { } asked)
        {
            return;
        }

        var group = _group!;
        var flush = group.Grains[0].FlushCheckpointAsync();
        if (!await WaitAllAsync([flush], group, $"writing the checkpoint after round {asked.Round}"))
        {
            return;
        }

        _asked = null;
        if (flush.Result != asked.Round)
        {
            return;
        }

        var previous = StoredCheckpointKey;
        (state.State.CheckpointRound, state.State.CheckpointEpochLoss, state.State.CheckpointKey) = (asked.Round, asked.EpochLoss, asked.Key);
        await state.WriteStateAsync();
        if (previous is not null && previous != asked.Key)
        {
            await artifacts.DeleteAsync(previous);
        }
    }

    /// <summary>Every checkpoint the job may have written: both keys of every generation, and the old single key.</summary>
    private async Task DeleteCheckpointsAsync()
    {
        await artifacts.DeleteAsync($"training/{JobId}/checkpoint");
        for (var generation = 0; generation <= state.State.Generation; generation++)
        {
            await artifacts.DeleteAsync(CheckpointKey(generation, 0));
            await artifacts.DeleteAsync(CheckpointKey(generation, 1));
        }
    }

    /// <summary>A checkpoint asked of rank 0: taken after <see cref="Round"/>, with the epoch's loss so far there.</summary>
    private sealed record PendingCheckpoint(long Round, double EpochLoss, string Key);
}
