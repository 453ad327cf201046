using OrleansML.Serving;

namespace OrleansML.Training;

/// <summary>
/// A data-parallel training job: train <see cref="Model"/> (from <see cref="BaseVersion"/>, its latest version, or a
/// new <see cref="Architecture"/>) on <see cref="Dataset"/> with a global batch of <see cref="BatchSize"/> rows
/// split over <see cref="Workers"/> workers.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Training.TrainingJobSpec")]
public sealed record TrainingJobSpec
{
    [Id(0)] public required string Model { get; init; }

    [Id(1)] public required string Dataset { get; init; }

    [Id(2)] public ArchitectureSpec? Architecture { get; init; }

    [Id(3)] public int? BaseVersion { get; init; }

    [Id(4)] public int Epochs { get; init; } = 1;

    [Id(5)] public int BatchSize { get; init; } = 64;

    [Id(6)] public double LearningRate { get; init; } = 0.01;

    /// <summary><c>sgd</c> or <c>adam</c>.</summary>
    [Id(7)] public string Optimizer { get; init; } = "sgd";

    [Id(8)] public int Seed { get; init; }

    /// <summary>Null: one per active silo.</summary>
    [Id(9)] public int? Workers { get; init; }

    [Id(10)] public bool Standardize { get; init; }

    [Id(11)] public double ValidationSplit { get; init; }

    /// <summary>A label to point at the resulting version.</summary>
    [Id(12)] public string? Promote { get; init; }

    /// <summary><c>ring</c> (default) or <c>gather</c>.</summary>
    [Id(13)] public string AllReduce { get; init; } = "ring";

    /// <summary>Stops after this many rounds in total (for experiments); null trains every epoch.</summary>
    [Id(14)] public int? MaxRounds { get; init; }
}
