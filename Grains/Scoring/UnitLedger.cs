using OrleansML.Errors;
using OrleansML.Torch;

namespace OrleansML.Scoring;

/// <summary>An attempt at one unit on one silo: its own staging prefix, and the worker's call.</summary>
public sealed record UnitAttempt(int Unit, string Silo, string Staging, Task<UnitResult> Call);

/// <summary>What became of a finished attempt (<see cref="UnitLedger.Judge"/>).</summary>
public enum UnitVerdict
{
    /// <summary>The worker answered: commit the unit if all it staged is there.</summary>
    Answered,

    /// <summary>Another attempt of the unit was committed first: this one's rows must not appear twice.</summary>
    Duplicate,

    /// <summary>The silo failed or gave no answer in time: the unit goes back to the queue.</summary>
    Retry,

    /// <summary>The model refused the rows (its version was deleted or failed): no other silo would do better.</summary>
    Refused,
}

/// <summary>
/// A scoring job's units and the rules for them, free of the cluster: which units go to which silo, what a finished
/// attempt means, and the record of commits and retries in the job's state. Only the first successful attempt of a
/// unit is committed; a unit whose silo fails goes back to the queue, to silos not suspected while any is left.
/// </summary>
public sealed class UnitLedger(ScoringJobState job, int maxAttempts, TimeSpan partitionTimeout)
{
    private readonly List<UnitAttempt> _inFlight = [];
    private readonly HashSet<string> _suspectSilos = [];

    public IReadOnlyList<UnitAttempt> InFlight => _inFlight;

    /// <summary>Every unit committed and none in flight.</summary>
    public bool IsDone => _inFlight.Count == 0 && job.Committed.Count == job.Units.Count;

    /// <summary><paramref name="partitions"/> storage partitions in <paramref name="units"/> contiguous ranges of near-equal size.</summary>
    public static List<PartitionRange> Split(int partitions, int units)
    {
        units = Math.Min(units, partitions);
        return Enumerable.Range(0, units)
            .Select(u => new PartitionRange(u * partitions / units, (u + 1) * partitions / units - u * partitions / units))
            .ToList();
    }

    /// <summary>
    /// The units to send now and where: those neither committed nor in flight, dealt round the trusted live silos
    /// (all live ones when every one is suspected) up to <paramref name="unitsPerSilo"/> in flight on each.
    /// </summary>
    public List<(int Unit, string Silo)> Assign(IReadOnlyList<string> live, int unitsPerSilo)
    {
        var busy = _inFlight.Select(a => a.Unit).ToHashSet();
        var pending = Enumerable.Range(0, job.Units.Count).Where(u => !job.Committed.Contains(u) && !busy.Contains(u)).ToList();
        var silos = live.Where(s => !_suspectSilos.Contains(s)).ToList() is { Count: > 0 } trusted ? trusted : [.. live];
        var sent = silos.ToDictionary(s => s, s => _inFlight.Count(a => a.Silo == s));
        var assigned = new List<(int, string)>();
        for (var slot = 0; slot < unitsPerSilo && assigned.Count < pending.Count; slot++)
        {
            foreach (var silo in silos.TakeWhile(_ => assigned.Count < pending.Count))
            {
                if (sent[silo] <= slot)
                {
                    assigned.Add((pending[assigned.Count], silo));
                    sent[silo]++;
                }
            }
        }

        return assigned;
    }

    public void Sent(UnitAttempt attempt) => _inFlight.Add(attempt);

    /// <summary>The attempts whose calls have ended; each stays in flight until it is judged.</summary>
    public List<UnitAttempt> Ended() => _inFlight.Where(a => a.Call.IsCompleted).ToList();

    /// <summary>Takes an ended attempt out of the in-flight list and says what its outcome means.</summary>
    public UnitVerdict Judge(UnitAttempt attempt)
    {
        _inFlight.Remove(attempt);
        return Verdict(attempt);
    }

    private UnitVerdict Verdict(UnitAttempt attempt) => attempt.Call switch
    {
        { IsCompletedSuccessfully: true } when job.Committed.Contains(attempt.Unit) => UnitVerdict.Duplicate,
        { IsCompletedSuccessfully: true } => UnitVerdict.Answered,
        { Exception.InnerException: PlatformException } => UnitVerdict.Refused,
        _ => UnitVerdict.Retry,
    };

    /// <summary>Why a failed call failed, in the words of the retry record; its silo is suspected from now on.</summary>
    public string Suspect(UnitAttempt attempt)
    {
        _suspectSilos.Add(attempt.Silo);
        var exception = attempt.Call.Exception!.InnerException!;
        return exception is TimeoutException ? $"no answer within {partitionTimeout.TotalSeconds:0.###} s" : ModelArtifacts.FirstLine(exception.Message);
    }

    /// <summary>Records the unit of <paramref name="attempt"/> as committed with what its worker answered.</summary>
    public void Commit(UnitAttempt attempt)
    {
        var result = attempt.Call.Result;
        job.Committed.Add(attempt.Unit);
        job.RowsScored += result.Rows;
        job.Outputs = result.Outputs;
        job.Classification = result.Classification;
        job.UnitsBySilo[attempt.Silo] = job.UnitsBySilo.GetValueOrDefault(attempt.Silo) + 1;
    }

    /// <summary>Records that what <paramref name="attempt"/> staged is to be deleted, not committed.</summary>
    public void Abandon(UnitAttempt attempt) => job.AbandonedStaging.Add(attempt.Staging);

    /// <summary>Abandons every attempt in flight (the job has failed).</summary>
    public void AbandonInFlight()
    {
        job.AbandonedStaging.AddRange(_inFlight.Select(a => a.Staging));
        _inFlight.Clear();
    }

    /// <summary>
    /// Records a retry of the unit of <paramref name="attempt"/> (<paramref name="what"/> went wrong) and returns its
    /// reason; gave up is true when the unit has had its <c>maxAttempts</c> attempts.
    /// </summary>
    public (string Reason, bool GaveUp) Retry(UnitAttempt attempt, string what)
    {
        var range = job.Units[attempt.Unit];
        var attempts = job.Attempts[attempt.Unit] = job.Attempts.GetValueOrDefault(attempt.Unit) + 1;
        var reason = $"unit {attempt.Unit} (partitions {range.First}-{range.First + range.Count - 1}) on {attempt.Silo}: {what}";
        job.Retries.Add(reason);
        Abandon(attempt);
        return (reason, attempts >= maxAttempts);
    }
}
