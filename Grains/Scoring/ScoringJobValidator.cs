using OrleansML.Datasets;
using OrleansML.Errors;
using OrleansML.Serving;

namespace OrleansML.Scoring;

/// <summary>The checks a scoring job passes before anything is reserved or stored; each names what is wrong.</summary>
public static class ScoringJobValidator
{
    /// <summary>Checks the spec on its own and returns it with its output layout normalised.</summary>
    public static ScoringJobSpec ValidateSpec(ScoringJobSpec spec)
    {
        ResourceNames.Validate(spec.Model, "model");
        ResourceNames.Validate(spec.Dataset, "dataset");
        ResourceNames.Validate(spec.OutputDataset, "output dataset");
        spec = spec with { Output = ScoringOutput.Validate(spec.Output) };
        if (spec.Version is not null && spec.Label is not null)
        {
            throw PlatformException.Invalid("give a version or a label, not both.");
        }

        if (!Enum.IsDefined(spec.OutputFormat))
        {
            throw PlatformException.Invalid($"outputFormat {(int)spec.OutputFormat} is not one of dataset, parquet.");
        }

        if (spec.OutputFormat == ScoringOutputFormat.Parquet && string.IsNullOrWhiteSpace(spec.OutputUrl))
        {
            throw PlatformException.Invalid("outputFormat parquet needs an outputUrl (file:///dir/ or s3://bucket/prefix/) to write the files under.");
        }

        if (spec.OutputFormat != ScoringOutputFormat.Parquet && spec.OutputUrl is not null)
        {
            throw PlatformException.Invalid("outputUrl goes with outputFormat parquet.");
        }

        if (spec.Partitions is < 1)
        {
            throw PlatformException.Invalid($"partitions must be at least 1, got {spec.Partitions}.");
        }

        return spec;
    }

    public static void ValidateInput(ScoringJobSpec spec, DatasetInfo input)
    {
        if (input.Rows > ScoringOutput.MaxRows)
        {
            throw PlatformException.Invalid($"dataset '{spec.Dataset}' has {input.Rows} rows; scoring takes at most {ScoringOutput.MaxRows} (row ids are stored as float32).");
        }
    }

    /// <summary>The model version that scores the job's rows: batched, one input, as wide as a dataset row.</summary>
    public static ModelVersionInfo SelectVersion(ScoringJobSpec spec, ModelInfo model, DatasetInfo input)
    {
        var version = RouteSelector.Select(model, spec.Version, spec.Label);
        var signature = version.Signature.Inputs[0];
        if (!version.Signature.IsBatched || version.Signature.Inputs.Length != 1 || signature.RowSize != input.Columns.Length)
        {
            throw PlatformException.Invalid(
                $"model '{spec.Model}' version {version.Version} takes input of shape [{string.Join(", ", signature.Shape)}]; dataset '{spec.Dataset}' has rows of {input.Columns.Length} features.");
        }

        return version;
    }
}
