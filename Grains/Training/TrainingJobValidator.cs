using OrleansML.Datasets;
using OrleansML.Errors;
using OrleansML.Serving;
using OrleansML.Torch;
using OrleansML.Training.AllReduce;

namespace OrleansML.Training;

/// <summary>Refuses a job spec that cannot run, naming what is wrong, before anything is stored.</summary>
public static class TrainingJobValidator
{
    public static void ValidateSpec(TrainingJobSpec spec)
    {
        ResourceNames.Validate(spec.Model, "model");
        ResourceNames.Validate(spec.Dataset, "dataset");
        if (spec.Promote is not null)
        {
            ResourceNames.Validate(spec.Promote, "label");
        }

        Require(spec.Epochs > 0, $"epochs must be at least 1 (got {spec.Epochs}).");
        Require(spec.BatchSize > 0, $"batchSize must be at least 1 (got {spec.BatchSize}).");
        Require(spec.LearningRate > 0 && double.IsFinite(spec.LearningRate), $"learningRate must be a positive number (got {spec.LearningRate}).");
        Require(FlatOptimizer.Names.Contains(spec.Optimizer, StringComparer.OrdinalIgnoreCase), $"optimizer '{spec.Optimizer}' is not supported; supported: {string.Join(", ", FlatOptimizer.Names)}.");
        Require(AllReduceAlgorithms.Names.Contains(spec.AllReduce, StringComparer.OrdinalIgnoreCase), $"allReduce '{spec.AllReduce}' is not supported; supported: {string.Join(", ", AllReduceAlgorithms.Names)}.");
        Require(spec.ValidationSplit is >= 0 and < 1, $"validationSplit must be in [0, 1) (got {spec.ValidationSplit}).");
        Require(spec.Workers is null or (>= 1 and <= 64), $"workers must be between 1 and 64 (got {spec.Workers}).");
        Require(spec.MaxRounds is null or > 0, $"maxRounds must be at least 1 (got {spec.MaxRounds}).");
    }

    public static void ValidateAgainst(TrainingJobSpec spec, DatasetInfo dataset, ModelSignature signature, int workers)
    {
        Require(spec.BatchSize >= workers, $"batchSize {spec.BatchSize} is smaller than the {workers} workers; every worker needs at least one row per round.");
        var trainingRows = dataset.Rows - (long)Math.Floor(dataset.Rows * spec.ValidationSplit);
        Require(trainingRows >= spec.BatchSize, $"dataset '{dataset.Name}' leaves {trainingRows} training rows, fewer than batchSize {spec.BatchSize}.");
        Require(signature.Inputs.Length == 1 && signature.Outputs.Length == 1,
            $"model '{spec.Model}' takes {signature.Inputs.Length} inputs and returns {signature.Outputs.Length} outputs; training needs one feature tensor in and one out.");
        var inputs = signature.Inputs[0].Shape.Length == 2 ? signature.Inputs[0].Shape[1] : -1;
        Require(inputs == dataset.Columns.Length, $"model '{spec.Model}' takes {inputs} inputs but dataset '{dataset.Name}' has {dataset.Columns.Length} feature columns.");
        var outputs = signature.Outputs[0].Shape.Length == 2 ? signature.Outputs[0].Shape[1] : -1;
        var expected = dataset.LabelClasses?.Length ?? 1;
        Require(outputs == expected, dataset.IsClassification
            ? $"model '{spec.Model}' has {outputs} outputs but dataset '{dataset.Name}' has {expected} label classes ({string.Join(", ", dataset.LabelClasses!.Take(20))})."
            : $"model '{spec.Model}' has {outputs} outputs; regression on '{dataset.Label}' needs 1.");
    }

    public static void ValidateArchitecture(ArchitectureSpec architecture) => ArchitectureBuilder.Validate(architecture);

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw PlatformException.Invalid(message);
        }
    }
}
