using OrleansML.Serving;

namespace OrleansML.Training;

/// <summary>
/// Adds a finished job's trained weights as a version of its model, once: the version carries the job as its source,
/// so a coordinator whose silo died after adding it and before storing the outcome finds it when it ends again.
/// </summary>
public sealed class ResultPublisher(IModelGrain model, string jobId)
{
    private string Source => $"training:{jobId}";

    /// <summary>The version the job already added, if any.</summary>
    public async Task<int?> AddedAsync() =>
        (await model.GetAsync())?.Versions.FirstOrDefault(v => v.Source == Source)?.Version;

    /// <summary>Adds the weights exported to <paramref name="staging"/> as a new version and returns its number.</summary>
    public async Task<int> AddAsync(string staging, TrainingJobState job, double? lastLoss, long rounds)
    {
        var version = await model.AddVersionAsync(new NewModelVersion
        {
            StagingKey = staging,
            Format = job.Format,
            Signature = job.Signature,
            Architecture = job.Architecture,
            Preprocessing = job.Standardization,
            Source = Source,
            Metrics = Metrics(job.History.LastOrDefault(), lastLoss, rounds),
        });
        return version.Version;
    }

    /// <summary>The version's training metrics: the last epoch's loss (else the last round's), rounds, and validation results.</summary>
    public static Dictionary<string, double> Metrics(EpochSummary? last, double? lastLoss, long rounds)
    {
        var metrics = new Dictionary<string, double> { ["loss"] = last?.Loss ?? lastLoss ?? double.NaN, ["rounds"] = rounds };
        if (last?.ValidationAccuracy is { } accuracy)
        {
            metrics["validation_accuracy"] = accuracy;
        }

        if (last?.ValidationLoss is { } validationLoss)
        {
            metrics["validation_loss"] = validationLoss;
        }

        return metrics;
    }
}
