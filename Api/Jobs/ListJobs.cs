using Mediator;
using OrleansML.Jobs;
using OrleansML.Scoring;
using OrleansML.Training;

namespace OrleansML.Api.Jobs;

/// <summary>Lists the jobs of one kind, newest first, a page at a time.</summary>
public sealed record ListJobs(JobKind Kind, JobQuery Query) : IRequest<JobPage>;

/// <summary>
/// Reads the page from the kind's index, then asks each unfinished job of the page for its progress: the index is
/// written on changes of state only, so between them the job itself is the one that knows how far it is. A job found
/// finished that its row does not say so (its coordinator could not reach the index) is recorded again.
/// </summary>
public sealed class ListJobsHandler(IClusterClient client) : IRequestHandler<ListJobs, JobPage>
{
    public async ValueTask<JobPage> Handle(ListJobs request, CancellationToken cancellationToken)
    {
        var page = await client.GetJobIndex(request.Kind).ListAsync(request.Query);
        var rows = await Task.WhenAll(page.Rows.Select(row => row.IsFinished ? Task.FromResult(row) : LiveAsync(request.Kind, row)));
        return page with { Rows = rows };
    }

    private async Task<JobRow> LiveAsync(JobKind kind, JobRow row)
    {
        var live = kind == JobKind.Training
            ? await client.GetGrain<ITrainingJobGrain>(row.Id).GetAsync() is { } training ? JobRow.Of(training) : null
            : await client.GetGrain<IScoringJobGrain>(row.Id).GetAsync() is { } scoring ? JobRow.Of(scoring) : null;
        if (live is null)
        {
            return row;
        }

        if (live.IsFinished)
        {
            await client.GetJobIndex(kind).RecordAsync(live with { StartedAt = row.StartedAt });
        }

        return live with { CreatedAt = row.CreatedAt, StartedAt = row.StartedAt ?? (live.State == JobState.Pending ? null : DateTimeOffset.UtcNow) };
    }
}
