using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OrleansML.Api.Http;
using OrleansML.Api.KServe;
using OrleansML.Api.Security;
using OrleansML.Serving;

namespace OrleansML.Api.Statistics;

public static class StatisticsEndpoints
{
    public static RouteGroupBuilder MapStatisticsEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/serving").WithTags("Serving statistics");

        group.MapGet("/statistics", (string? model, ISender sender, CancellationToken cancellationToken) =>
                ApiErrors.TryNative(async () => TypedResults.Ok(new ServingStatisticsView(
                    LatencyHistogram.UpperBoundsMs(),
                    (await sender.Send(new GetModelStatistics(model), cancellationToken)).Select(VersionStatisticsView.From).ToArray()))))
            .WithName("GetServingStatistics")
            .RequireAuthorization(Scopes.Predict)
            .WithSummary("What every model version (or one model's, ?model=) has served, summed over the cluster: counts and a latency histogram to difference between two reads.");

        return group;
    }
}

/// <summary>
/// <c>GET /api/serving/statistics</c>: cumulative figures since each silo started. The difference of two reads
/// gives the requests per second and the latency percentiles of the interval between them; <see cref="LatencyBoundsMs"/>
/// are the upper bounds of the buckets, the last bucket counting everything slower.
/// </summary>
public sealed record ServingStatisticsView(double[] LatencyBoundsMs, VersionStatisticsView[] Versions);

/// <summary>One version's totals: successful and failed requests, rows, forward passes, and successes per latency bucket.</summary>
public sealed record VersionStatisticsView(string Model, int Version, long Requests, long Failures, long Inferences, long Executions, long LastInference, long[] LatencyBuckets)
{
    public static VersionStatisticsView From(ModelStatistics s) => new(
        s.Model, s.Version, s.Success.Count, s.Fail.Count, s.InferenceCount, s.ExecutionCount, s.LastInference,
        s.Latency.Counts.Length == LatencyHistogram.BucketCount ? s.Latency.Counts : LatencyHistogram.Empty.Counts);
}
