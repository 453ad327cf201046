using System.Globalization;
using Inference;
using OrleansML.Serving;

namespace OrleansML.Api.Grpc.KServe;

/// <summary>The per-version figures of the statistics extension (the same ones REST answers) as Triton's messages.</summary>
internal static class StatisticsMessages
{
    public static Inference.ModelStatistics From(Serving.ModelStatistics s) => new()
    {
        Name = s.Model,
        Version = s.Version.ToString(CultureInfo.InvariantCulture),
        LastInference = (ulong)s.LastInference,
        InferenceCount = (ulong)s.InferenceCount,
        ExecutionCount = (ulong)s.ExecutionCount,
        InferenceStats = new InferStatistics
        {
            Success = Duration(s.Success),
            Fail = Duration(s.Fail),
            Queue = Duration(s.Queue),
            ComputeInput = Duration(s.ComputeInput),
            ComputeInfer = Duration(s.ComputeInfer),
            ComputeOutput = Duration(s.ComputeOutput),
            CacheHit = Duration(DurationStatistic.Zero),
            CacheMiss = Duration(DurationStatistic.Zero),
        },
        BatchStats =
        {
            s.Batches.Select(b => new InferBatchStatistics
            {
                BatchSize = (ulong)b.BatchSize,
                ComputeInput = Duration(b.ComputeInput),
                ComputeInfer = Duration(b.ComputeInfer),
                ComputeOutput = Duration(b.ComputeOutput),
            }),
        },
    };

    private static StatisticDuration Duration(DurationStatistic d) => new() { Count = (ulong)d.Count, Ns = (ulong)d.Ns };
}
