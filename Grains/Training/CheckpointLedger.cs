namespace OrleansML.Training;

/// <summary>
/// A training job's checkpoints, free of the cluster: the one the stored state names (the only writer of
/// <see cref="TrainingJobState.CheckpointRound"/>, its epoch loss and its key), the one asked of rank 0 and not yet
/// stored, and the keys. New checkpoints go to the key of the group's generation that the stored state does not
/// name, so the checkpoint recovery would use is never being overwritten.
/// </summary>
public sealed class CheckpointLedger(TrainingJobState job, string jobId)
{
    /// <summary>The checkpoint the stored state names, or null before the first one.</summary>
    public string? StoredKey => job.CheckpointRound == 0 ? null : job.CheckpointKey;

    /// <summary>The last checkpoint asked of rank 0 and not yet stored.</summary>
    public PendingCheckpoint? Asked { get; private set; }

    public string Key(int generation, int slot) => $"training/{jobId}/checkpoint-{generation}-{slot}";

    /// <summary>The key of the current generation that the stored state does not name.</summary>
    public string NextKey()
    {
        var key = Key(job.Generation, 0);
        return key == StoredKey ? Key(job.Generation, 1) : key;
    }

    /// <summary>Rank 0 was asked for a checkpoint after <paramref name="round"/>, with the epoch's loss so far there.</summary>
    public void Ask(long round, double epochLoss, string key) => Asked = new PendingCheckpoint(round, epochLoss, key);

    /// <summary>The group that was asked is gone: what it was writing is not the job's checkpoint.</summary>
    public void Forget() => Asked = null;

    /// <summary>
    /// Rank 0 says the last checkpoint it wrote is the one after <paramref name="writtenRound"/>. If that is the one
    /// asked, the state names it from now on (stored = true) and the checkpoint it named before, if another key, is
    /// to be deleted once the state is stored.
    /// </summary>
    public (bool Stored, string? Obsolete) Written(long writtenRound)
    {
        if (Asked is not { } asked)
        {
            return (false, null);
        }

        Asked = null;
        if (writtenRound != asked.Round)
        {
            return (false, null);
        }

        var previous = StoredKey;
        (job.CheckpointRound, job.CheckpointEpochLoss, job.CheckpointKey) = (asked.Round, asked.EpochLoss, asked.Key);
        return (true, previous is not null && previous != asked.Key ? previous : null);
    }

    /// <summary>Every checkpoint key the job may have written: both keys of every generation.</summary>
    public IEnumerable<string> AllKeys() =>
        Enumerable.Range(0, job.Generation + 1).SelectMany(generation => new[] { Key(generation, 0), Key(generation, 1) });
}

/// <summary>A checkpoint asked of rank 0: taken after <see cref="Round"/>, with the epoch's loss so far there.</summary>
public sealed record PendingCheckpoint(long Round, double EpochLoss, string Key);
