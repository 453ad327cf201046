using OrleansML.Datasets;
using OrleansML.Errors;
using OrleansML.Serving;
using OrleansML.Torch;

namespace OrleansML.Training;

/// <summary>
/// What a new training job trains from: a new model built from the spec's architecture, or a version of an existing
/// model (the one named, or the newest available). Each refusal names what is wrong.
/// </summary>
public static class TrainingJobSource
{
    /// <summary>The new job's state, Pending, with its format, architecture, signature and starting weights.</summary>
    public static TrainingJobState NewJob(TrainingJobSpec spec, DatasetInfo dataset, ModelInfo? model, DateTimeOffset now)
    {
        var job = new TrainingJobState { Spec = spec, Dataset = dataset, State = TrainingState.Pending, CreatedAt = now };
        if (model is null)
        {
            if (spec.BaseVersion is not null)
            {
                throw PlatformException.Invalid($"model '{spec.Model}' does not exist, so it has no version {spec.BaseVersion} to fine-tune.");
            }

            var architecture = spec.Architecture
                ?? throw PlatformException.Invalid($"model '{spec.Model}' does not exist and the job gives no architecture to create it from.");
            TrainingJobValidator.ValidateArchitecture(architecture);
            (job.Format, job.Architecture, job.Signature) = (ModelFormat.Native, architecture, ArchitectureBuilder.SignatureOf(architecture));
            return job;
        }

        var version = (spec.BaseVersion is { } wanted
                ? model.Versions.FirstOrDefault(v => v.Version == wanted)
                : model.Versions.Where(v => v.State == VersionState.Available).MaxBy(v => v.Version))
            ?? throw PlatformException.Invalid(spec.BaseVersion is null
                ? $"model '{spec.Model}' has no available version to train from."
                : $"model '{spec.Model}' has no version {spec.BaseVersion}.");
        if (version.State != VersionState.Available)
        {
            throw PlatformException.Invalid($"version {version.Version} of model '{spec.Model}' is {version.State}, not Available.");
        }

        if (version.Format == ModelFormat.Onnx)
        {
            throw PlatformException.Invalid($"version {version.Version} of model '{spec.Model}' is ONNX: ONNX versions are served and scored, not trained.");
        }

        if (version.Format == ModelFormat.Native && version.Architecture is null)
        {
            throw PlatformException.Invalid($"version {version.Version} of model '{spec.Model}' has no architecture to train.");
        }

        (job.Format, job.Architecture, job.Signature) = (version.Format, version.Architecture, version.Signature);
        (job.WeightsKey, job.BaseVersion, job.Standardization) = (version.ArtifactKey, version.Version, version.Preprocessing);
        return job;
    }
}
