using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OrleansML.Training;
using OrleansML.Api.Http;
using OrleansML.Api.Jobs;
using OrleansML.Api.Security;
using OrleansML.Jobs;

namespace OrleansML.Api.Training;

public static class TrainingEndpoints
{
    public static RouteGroupBuilder MapTrainingEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/training/jobs").WithTags("Training");

        group.MapPost("/", async Task<Accepted<TrainingJobStatus>> (TrainingJobSpec spec, ISender sender, CancellationToken cancellationToken) =>
            {
                var status = await sender.Send(new StartTrainingJob(spec), cancellationToken);
                return TypedResults.Accepted($"/api/training/jobs/{status.Id}", status);
            })
            .WithName("StartTrainingJob")
            .RequireAuthorization(Scopes.Train)
            .WithSummary("Starts a data-parallel training job; poll the Location or stream its /events.");

        group.MapGet("/", (string? state, string? model, string? page, string? pageSize, HttpRequest request, ISender sender, CancellationToken cancellationToken) =>
                ApiErrors.TryNative(async () =>
                {
                    var query = JobListQuery.Parse<TrainingState>(state, model, page, pageSize);
                    return TypedResults.Ok(JobListView.From(await sender.Send(new ListJobs(JobKind.Training, query), cancellationToken), request));
                }))
            .WithName("ListTrainingJobs")
            .RequireAuthorization(Scopes.Train)
            .WithSummary("Lists training jobs newest first, filtered by state and model, a page at a time (page, pageSize up to 100).");

        group.MapGet("/{id}", async Task<Results<Ok<TrainingJobStatus>, NotFound>> (string id, ISender sender, CancellationToken cancellationToken) =>
                await sender.Send(new GetTrainingJob(id), cancellationToken) is { } status ? TypedResults.Ok(status) : TypedResults.NotFound())
            .WithName("GetTrainingJob")
            .RequireAuthorization(Scopes.Train)
            .WithSummary("A job's state, epoch, round, loss, history, workers, result version or failure reason.");

        group.MapGet("/{id}/events", async Task<Results<ServerSentEventsResult<TrainingProgress>, NotFound>> (string id, ISender sender, CancellationToken cancellationToken) =>
                await sender.Send(new GetTrainingJob(id), cancellationToken) is null
                    ? TypedResults.NotFound()
                    : TypedResults.ServerSentEvents(Progress(id, sender, cancellationToken)))
            .WithName("StreamTrainingJob")
            .RequireAuthorization(Scopes.Train)
            .WithSummary("Streams a job's progress as server-sent events until it finishes.");

        group.MapDelete("/{id}", async Task<Ok<TrainingJobStatus>> (string id, ISender sender, CancellationToken cancellationToken) =>
                TypedResults.Ok(await sender.Send(new CancelTrainingJob(id), cancellationToken)))
            .WithName("CancelTrainingJob")
            .RequireAuthorization(Scopes.Train)
            .WithSummary("Cancels a job and stops its workers.");

        return group;
    }

    private static async IAsyncEnumerable<SseItem<TrainingProgress>> Progress(string id, ISender sender, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        TrainingProgress? last = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (await sender.Send(new GetTrainingJob(id), cancellationToken) is not { } status)
            {
                yield break;
            }

            var progress = TrainingProgress.From(status);
            if (progress != last)
            {
                yield return new SseItem<TrainingProgress>(progress, status.IsFinished ? "finished" : "progress");
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
public sealed record TrainingProgress(TrainingState State, int Epoch, long Round, long TotalRounds, double? Loss, double? ValidationAccuracy, int? ResultVersion, string? FailureReason)
{
    public static TrainingProgress From(TrainingJobStatus status) => new(
        status.State, status.Epoch, status.Round, status.TotalRounds, status.Loss,
        status.History.LastOrDefault()?.ValidationAccuracy, status.ResultVersion, status.FailureReason);
}
