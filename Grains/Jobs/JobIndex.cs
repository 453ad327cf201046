namespace OrleansML.Jobs;

/// <summary>
/// The rows of one job index and its rules, free of the cluster: an update keeps the first creation and start
/// times, a row never moves back (pending, running, finished) so a late write from an older activation or a slow
/// call cannot undo a newer one, and past <see cref="MaxRows"/> the oldest finished jobs are forgotten.
/// </summary>
public sealed class JobIndex(Dictionary<string, JobRow> rows)
{
    public const int MaxRows = 10_000;

    public IReadOnlyDictionary<string, JobRow> Rows => rows;

    /// <summary>Applies <paramref name="row"/>; false when it changes nothing.</summary>
    public bool Record(JobRow row, DateTimeOffset now)
    {
        rows.TryGetValue(row.Id, out var known);
        if (known is not null && (Stage(row) < Stage(known) || (known.IsFinished && row.State != known.State)))
        {
            return false;
        }

        var started = known?.StartedAt ?? row.StartedAt ?? (row.State == JobState.Pending ? null : now);
        var updated = row with
        {
            CreatedAt = known?.CreatedAt ?? (row.CreatedAt == default ? now : row.CreatedAt),
            StartedAt = row.State == JobState.Pending ? null : started,
        };
        if (updated == known)
        {
            return false;
        }

        rows[row.Id] = updated;
        if (rows.Count > MaxRows)
        {
            foreach (var old in rows.Values.Where(r => r.IsFinished).OrderBy(r => r.CreatedAt).Take(rows.Count - MaxRows).ToList())
            {
                rows.Remove(old.Id);
            }
        }

        return true;
    }

    private static int Stage(JobRow row) => row.IsFinished ? 2 : row.State == JobState.Running ? 1 : 0;

    public JobPage Query(JobQuery query)
    {
        var matching = rows.Values
            .Where(r => query.State is not { } state || r.State == state)
            .Where(r => query.Model is not { } model || string.Equals(r.Model, model, StringComparison.Ordinal))
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id, StringComparer.Ordinal)
            .ToList();
        var page = matching.Skip((int)Math.Min(int.MaxValue, (long)(query.Page - 1) * query.PageSize)).Take(query.PageSize).ToList();
        return new JobPage(page, query.Page, query.PageSize, matching.Count);
    }
}
