using OrleansML.Jobs;

namespace OrleansML.Api.Jobs;

/// <summary>One page of a job list; <see cref="Next"/> is the next page's address, or null on the last one.</summary>
public sealed record JobListView(IReadOnlyList<JobListItem> Jobs, int Page, int PageSize, int Total, string? Next)
{
    public static JobListView From(JobPage page, HttpRequest request)
    {
        var more = (long)page.Page * page.PageSize < page.Total;
        var query = QueryString.Create(request.Query.Where(p => p.Key != "page").Append(new("page", (page.Page + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))));
        return new JobListView([.. page.Rows.Select(JobListItem.From)], page.Page, page.PageSize, page.Total, more ? $"{request.PathBase}{request.Path}{query}" : null);
    }
}

/// <summary>A job in a list: its id, state, model, progress from 0 to 1, and when it was created, started and finished.</summary>
public sealed record JobListItem(string Id, JobState State, string Model, double Progress, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt)
{
    public static JobListItem From(JobRow row) => new(row.Id, row.State, row.Model, row.Progress, row.CreatedAt, row.StartedAt, row.FinishedAt);
}
