using System.Globalization;
using System.Text.Json.Serialization;
using OrleansML.Serving;

namespace OrleansML.Api.KServe;

/// <summary><c>GET /v2/models/stats</c> (and per model or version): Triton's statistics extension.</summary>
public sealed record StatisticsResponse([property: JsonPropertyName("model_stats")] ModelStatisticsView[] ModelStats);

public sealed record ModelStatisticsView(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("last_inference")] long LastInference,
    [property: JsonPropertyName("inference_count")] long InferenceCount,
    [property: JsonPropertyName("execution_count")] long ExecutionCount,
    [property: JsonPropertyName("inference_stats")] InferenceStatisticsView InferenceStats,
    [property: JsonPropertyName("batch_stats")] BatchStatisticsView[] BatchStats)
{
    public static ModelStatisticsView From(ModelStatistics s) => new(
        s.Model,
        s.Version.ToString(CultureInfo.InvariantCulture),
        s.LastInference,
        s.InferenceCount,
        s.ExecutionCount,
        new InferenceStatisticsView(s.Success, s.Fail, s.Queue, s.ComputeInput, s.ComputeInfer, s.ComputeOutput, DurationStatistic.Zero, DurationStatistic.Zero),
        s.Batches.Select(b => new BatchStatisticsView(b.BatchSize, b.ComputeInput, b.ComputeInfer, b.ComputeOutput)).ToArray());
}

public sealed record InferenceStatisticsView(
    [property: JsonPropertyName("success")] DurationStatistic Success,
    [property: JsonPropertyName("fail")] DurationStatistic Fail,
    [property: JsonPropertyName("queue")] DurationStatistic Queue,
    [property: JsonPropertyName("compute_input")] DurationStatistic ComputeInput,
    [property: JsonPropertyName("compute_infer")] DurationStatistic ComputeInfer,
    [property: JsonPropertyName("compute_output")] DurationStatistic ComputeOutput,
    [property: JsonPropertyName("cache_hit")] DurationStatistic CacheHit,
    [property: JsonPropertyName("cache_miss")] DurationStatistic CacheMiss);

public sealed record BatchStatisticsView(
    [property: JsonPropertyName("batch_size")] long BatchSize,
    [property: JsonPropertyName("compute_input")] DurationStatistic ComputeInput,
    [property: JsonPropertyName("compute_infer")] DurationStatistic ComputeInfer,
    [property: JsonPropertyName("compute_output")] DurationStatistic ComputeOutput);
