namespace OrleansML.Training;

/// <summary>The jobs that hold a place, each with the time it was admitted.</summary>
[GenerateSerializer, Alias("OrleansML.Training.TrainingAdmissionState")]
public sealed class TrainingAdmissionState
{
    [Id(0)] public Dictionary<string, DateTimeOffset> Jobs { get; set; } = [];
}
