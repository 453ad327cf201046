namespace OrleansML.Scoring;

/// <summary>
/// The coordinator of one batch-scoring job (keyed by its id). It validates the job, hands row ranges of the input
/// dataset to a scoring worker on each live silo, commits each output partition exactly once, retries the ranges of
/// a silo that fails or times out on the others, and registers the output dataset when every range is committed.
/// </summary>
[Alias("OrleansML.Scoring.IScoringJobGrain")]
public interface IScoringJobGrain : IGrainWithStringKey
{
    /// <summary>Validates and starts the job; throws <see cref="Errors.PlatformException"/> and stores nothing when invalid.</summary>
    [Alias("StartAsync")]
    Task<ScoringJobStatus> StartAsync(ScoringJobSpec spec);

    /// <summary>The job, or null when there is none with this id. Resumes a running job whose timer was lost.</summary>
    [Alias("GetAsync"), Orleans.Concurrency.AlwaysInterleave]
    Task<ScoringJobStatus?> GetAsync();
}
