namespace OrleansML.Scoring;

/// <summary>Where a scoring job's output goes besides its output dataset.</summary>
[GenerateSerializer, Alias("OrleansML.Scoring.ScoringOutputFormat")]
public enum ScoringOutputFormat
{
    /// <summary>The output dataset alone.</summary>
    Dataset,

    /// <summary>Also one Parquet file per work unit under the job's <c>outputUrl</c>, and a <c>_SUCCESS</c> marker, where Spark reads them.</summary>
    Parquet,
}
