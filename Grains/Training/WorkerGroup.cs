using OrleansML.Torch;

namespace OrleansML.Training;

/// <summary>
/// One generation of a job's workers: their keys (<c>silo/job/generation-rank</c>, so each is pinned to its silo),
/// where they run, and the rules for calling them as a group: every call waits at most a timeout, and a failed one
/// is blamed on the silos whose calls did not end or ended in an error of their own, or, when every call timed
/// out, on the group's silos that no longer answer. Holds worker references and nothing of the cluster besides.
/// </summary>
public sealed class WorkerGroup
{
    private WorkerGroup(string[] keys, WorkerSlot[] slots, ITrainingWorkerGrain[] grains) => (Keys, Slots, Grains) = (keys, slots, grains);

    public string[] Keys { get; }

    public WorkerSlot[] Slots { get; }

    public ITrainingWorkerGrain[] Grains { get; }

    public int Size => Keys.Length;

    /// <summary>Rank 0: it writes the checkpoints, evaluates the validation rows and exports the result.</summary>
    public ITrainingWorkerGrain Leader => Grains[0];

    public WorkerInfo[] Workers => Keys.Select((k, rank) => new WorkerInfo(rank, k, Slots[rank].Silo, Slots[rank].Device)).ToArray();

    /// <summary>The group of generation <paramref name="generation"/> of job <paramref name="jobId"/> on <paramref name="slots"/>.</summary>
    public static WorkerGroup Of(string jobId, int generation, WorkerSlot[] slots, Func<string, ITrainingWorkerGrain> worker)
    {
        var keys = slots.Select((slot, rank) => $"{slot.Silo}/{jobId}/{generation}-{rank}").ToArray();
        return new WorkerGroup(keys, slots, keys.Select(worker).ToArray());
    }

    /// <summary>What each rank is initialised with to train <paramref name="job"/> from <paramref name="checkpointKey"/> (null: from its starting weights).</summary>
    public WorkerSetup[] Setups(TrainingJobState job, TrainingOptions options, string? checkpointKey)
    {
        var spec = job.Spec!;
        return Keys.Select((key, rank) => new WorkerSetup
        {
            JobId = key.Split('/')[1],
            Rank = rank,
            Peers = Keys,
            WeightsKey = job.WeightsKey,
            Format = job.Format,
            Architecture = job.Architecture,
            CheckpointKey = checkpointKey,
            Dataset = job.Dataset!,
            Standardization = job.Standardization,
            Optimizer = spec.Optimizer,
            LearningRate = spec.LearningRate,
            AllReduce = spec.AllReduce,
            ChunkFloats = options.ChunkFloats,
            PeerTimeout = options.WorkerTimeout * 0.6,
            BatchSize = spec.BatchSize,
            ValidationSplit = spec.ValidationSplit,
            Seed = spec.Seed,
            Device = Slots[rank].Device,
        }).ToArray();
    }

    public static string SiloOf(string workerKey) => workerKey.Split('/')[0];

    /// <summary>
    /// Waits for every call at most <paramref name="limit"/>; returns null when all succeeded, else why
    /// <paramref name="what"/> failed, naming the silos to blame (asked with <paramref name="answers"/> when the
    /// calls alone do not tell).
    /// </summary>
    public async Task<string?> FailureOfAsync(Task[] calls, string what, TimeSpan limit, Func<string, Task<bool>> answers)
    {
        try
        {
            await Task.WhenAll(calls).WaitAsync(limit);
            return null;
        }
        catch (Exception exception)
        {
            var suspects = Suspects(calls);
            if (suspects.Count == 0)
            {
                // Every call ended in a timeout (a worker giving up on a peer, or a call to a silo that died): ask the
                // group's silos which one is gone, so the reason names it.
                var silos = Keys.Select(SiloOf).Distinct().ToList();
                var answered = await Task.WhenAll(silos.Select(answers));
                suspects = silos.Where((_, k) => !answered[k]).ToList();
            }

            return suspects.Count > 0
                ? $"{what} failed: no answer or an error from {string.Join(", ", suspects)} ({ModelArtifacts.FirstLine(exception.Message)})"
                : $"{what} failed: {ModelArtifacts.FirstLine(exception.Message)}";
        }
    }

    /// <summary>The silos of the calls (one per rank, from rank 0) that have not ended or failed with an error other than a timeout.</summary>
    public List<string> Suspects(Task[] calls) => Enumerable.Range(0, calls.Length)
        .Where(k => !calls[k].IsCompleted || (calls[k].IsFaulted && calls[k].Exception!.InnerException is not TimeoutException))
        .Select(k => SiloOf(Keys[Math.Min(k, Size - 1)]))
        .Distinct()
        .ToList();

    /// <summary>
    /// Stops the workers without waiting for them (a dead worker must not hold up the job; a live one deactivates
    /// when idle), except that the task returned completes when rank 0, which writes the checkpoints, has stopped
    /// (at most <paramref name="wait"/>; it never throws).
    /// </summary>
    public Task StopAsync(TimeSpan wait)
    {
        var stops = Grains.Select(w => w.StopAsync()).ToArray();
        foreach (var stop in stops.Skip(1))
        {
            stop.Ignore();
        }

        return QuietlyAsync(stops[0]);

        async Task QuietlyAsync(Task stop)
        {
            try
            {
                await stop.WaitAsync(wait);
            }
            catch (Exception)
            {
                // A worker that cannot answer is not writing anything that would outlive the job.
            }
        }
    }
}
