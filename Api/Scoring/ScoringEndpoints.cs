using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OrleansML.Scoring;
using OrleansML.Api.Http;
using OrleansML.Api.Jobs;
using OrleansML.Api.Security;
using OrleansML.Jobs;

namespace OrleansML.Api.Scoring;

public static class ScoringEndpoints
{
    public static RouteGroupBuilder MapScoringEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/scoring/jobs").WithTags("Scoring");

        group.MapPost("/", async Task<Accepted<ScoringJobStatus>> (ScoringJobSpec spec, ISender sender, CancellationToken cancellationToken) =>
            {
                var status = await sender.Send(new StartScoringJob(spec), cancellationToken);
                return TypedResults.Accepted($"/api/scoring/jobs/{status.Id}", status);
            })
            .WithName("StartScoringJob")
            .RequireAuthorization(Scopes.Train)
            .WithSummary("Scores every row of a dataset with a model into a new dataset, partition by partition across the silos.");

        group.MapGet("/", (string? state, string? model, string? page, string? pageSize, HttpRequest request, ISender sender, CancellationToken cancellationToken) =>
                ApiErrors.TryNative(async () =>
                {
                    var query = JobListQuery.Parse<ScoringState>(state, model, page, pageSize);
                    return TypedResults.Ok(JobListView.From(await sender.Send(new ListJobs(JobKind.Scoring, query), cancellationToken), request));
                }))
            .WithName("ListScoringJobs")
            .RequireAuthorization(Scopes.Train)
            .WithSummary("Lists scoring jobs newest first, filtered by state and model, a page at a time (page, pageSize up to 100).");

        group.MapGet("/{id}", async Task<Results<Ok<ScoringJobStatus>, NotFound>> (string id, ISender sender, CancellationToken cancellationToken) =>
                await sender.Send(new GetScoringJob(id), cancellationToken) is { } status ? TypedResults.Ok(status) : TypedResults.NotFound())
            .WithName("GetScoringJob")
            .RequireAuthorization(Scopes.Train)
            .WithSummary("A job's state, partitions done, rows scored, rows per second, retries, failure reason and output dataset.");

        group.MapGet("/{id}/events", async Task<Results<ServerSentEventsResult<ScoringProgress>, NotFound>> (string id, ISender sender, CancellationToken cancellationToken) =>
                await sender.Send(new GetScoringJob(id), cancellationToken) is null
                    ? TypedResults.NotFound()
                    : TypedResults.ServerSentEvents(Progress(id, sender, cancellationToken)))
            .WithName("StreamScoringJob")
            .RequireAuthorization(Scopes.Train)
            .WithSummary("Streams a job's progress as server-sent events until it finishes.");

        return group;
    }

    private static async IAsyncEnumerable<SseItem<ScoringProgress>> Progress(string id, ISender sender, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ScoringProgress? last = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (await sender.Send(new GetScoringJob(id), cancellationToken) is not { } status)
            {
                yield break;
            }

            var progress = ScoringProgress.From(status);
            if (last is null || progress with { RowsPerSecond = 0 } != last with { RowsPerSecond = 0 })
            {
                yield return new SseItem<ScoringProgress>(progress, status.IsFinished ? "finished" : "progress");
                last = progress;
            }

            if (status.IsFinished)
            {
                yield break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }
}

/// <summary>One server-sent progress event.</summary>
public sealed record ScoringProgress(ScoringState State, int PartitionsDone, int PartitionsTotal, long RowsScored, double RowsPerSecond, int Retries, string? FailureReason)
{
    public static ScoringProgress From(ScoringJobStatus status) => new(
        status.State, status.PartitionsDone, status.PartitionsTotal, status.RowsScored, status.RowsPerSecond, status.Retries.Count, status.FailureReason);
}
