using System.Diagnostics;

namespace OrleansML.Training;

/// <summary>
/// A training job's rounds as the coordinator counts them, free of the cluster: where the job is, how many rounds
/// the next call to the workers should run, what the workers' results add to the round times, the loss and the
/// epoch history (the only writer of <see cref="TrainingJobState.History"/>), and the step back to the stored
/// checkpoint after a failure.
/// </summary>
public sealed class RoundLedger(TrainingJobState job, TrainingPlan plan, long totalRounds, int checkpointEveryRounds)
{
    /// <summary>
    /// The longest a call of rounds is sized to take: a cancel waits for the call in progress, and progress shows
    /// in the status once per call.
    /// </summary>
    public static readonly TimeSpan LongestCall = TimeSpan.FromMilliseconds(250);

    private const int MaxDurations = 4096;

    private readonly List<double> _durations = [];
    private readonly int _checkpointEvery = Math.Max(1, checkpointEveryRounds);
    private double _epochLoss;
    private double _epochMs;
    private double _roundMs;

    /// <summary>Rounds done (the next round's index).</summary>
    public long Round { get; private set; }

    public TrainingPlan Plan => plan;

    public long TotalRounds => totalRounds;

    public bool IsDone => Round >= totalRounds;

    /// <summary>The loss of the last round.</summary>
    public double? Loss { get; private set; }

    /// <summary>The slowest worker's time of each recent round (and of each failed call).</summary>
    public IReadOnlyList<double> Durations => _durations;

    public long BytesPerWorker { get; private set; }

    public long GradientBytes { get; private set; }

    /// <summary>The epoch's summed round loss so far (what a checkpoint taken now records).</summary>
    public double EpochLoss => _epochLoss;

    /// <summary>The epoch the status shows: 1-based while running, the last one done once finished.</summary>
    public int Epoch(int epochs, bool finished) => (int)Math.Min(epochs, Round / plan.RoundsPerEpoch + (finished ? 0 : 1));

    /// <summary>
    /// The rounds of the next call: up to the next checkpoint round or the job's end, and as many as the last
    /// measured round time fits in <paramref name="left"/> of the tick and in <see cref="LongestCall"/> (at least one).
    /// </summary>
    public int RoundsFitting(TimeSpan left)
    {
        var next = Math.Min(totalRounds, (Round / _checkpointEvery + 1) * _checkpointEvery);
        var budget = Math.Min(left.TotalMilliseconds, LongestCall.TotalMilliseconds);
        var fitting = _roundMs > 0 ? (long)(budget / _roundMs) : 1;
        return (int)Math.Clamp(fitting, 1, next - Round);
    }

    /// <summary>Whether the call ending after round <paramref name="end"/> should write a checkpoint (never at the job's end).</summary>
    public bool CheckpointDueAfter(long end) => end < totalRounds && end % _checkpointEvery == 0;

    /// <summary>How long a call of <paramref name="count"/> rounds is expected to take beyond its first round.</summary>
    public TimeSpan ExpectedBeyondFirst(int count) => TimeSpan.FromMilliseconds((count - 1) * _roundMs);

    /// <summary>A call failed after <paramref name="milliseconds"/>: the time shows among the round times.</summary>
    public void Failed(double milliseconds) => RecordDuration(milliseconds);

    /// <summary>
    /// Adds the results of a call of <paramref name="count"/> rounds from <paramref name="first"/> (one per rank,
    /// rank 0 first) that took <paramref name="milliseconds"/>; returns each round's time, samples and loss.
    /// </summary>
    public List<(double Milliseconds, int Samples, double Loss)> Record(long first, int count, RoundsResult[] results, double milliseconds)
    {
        _roundMs = milliseconds / count;
        var rounds = new List<(double, int, double)>(count);
        using var evaluations = results[0].Evaluations.AsEnumerable().GetEnumerator();
        for (var k = 0; k < count; k++)
        {
            var loss = results.Sum(r => r.WeightedLosses[k]);
            var slowest = results.Max(r => r.DurationsMs[k]);
            RecordDuration(slowest);
            rounds.Add((slowest, plan.BatchLength(first + k), loss));
            _epochLoss += loss;
            _epochMs += results[0].WallMs[k];
            Loss = loss;
            if ((first + k + 1) % plan.RoundsPerEpoch == 0)
            {
                EndEpoch((int)((first + k + 1) / plan.RoundsPerEpoch), evaluations.MoveNext() ? evaluations.Current : null);
            }
        }

        BytesPerWorker = results.Max(r => r.BytesSent);
        GradientBytes = results[0].GradientFloats * sizeof(float);
        Round = first + count;
        return rounds;
    }

    /// <summary>Goes back to the stored checkpoint: its round and epoch loss, and the history up to its last whole epoch.</summary>
    public void Restore()
    {
        Round = job.CheckpointRound;
        _epochLoss = job.CheckpointEpochLoss;
        _epochMs = 0;
        var epochs = (int)(Round / plan.RoundsPerEpoch);
        if (job.History.Count > epochs)
        {
            job.History.RemoveRange(epochs, job.History.Count - epochs);
        }
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
            accuracy = job.Dataset!.IsClassification ? (double)evaluation.Correct / evaluation.Count : null;
        }

        job.History.Add(new EpochSummary(epoch, _epochLoss / plan.RoundsPerEpoch, validationLoss, accuracy, _epochMs));
        _epochLoss = 0;
        _epochMs = 0;
    }

    private void RecordDuration(double milliseconds)
    {
        if (_durations.Count == MaxDurations)
        {
            _durations.RemoveAt(0);
        }

        _durations.Add(milliseconds);
    }
}
