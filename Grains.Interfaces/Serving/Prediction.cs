namespace OrleansML.Serving;

/// <summary>
/// A prediction request: the named inputs, optionally the outputs wanted (null: all), and optionally the version or
/// label to answer it. Naming neither takes the model's default route (traffic split, else the <c>stable</c>
/// label, else the latest available version).
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Serving.PredictionRequest")]
public sealed record PredictionRequest(
    [property: Id(0)] TensorData[] Inputs,
    [property: Id(1)] int? Version = null,
    [property: Id(2)] string? Label = null,
    [property: Id(3)] string[]? Outputs = null);

/// <summary>The outputs of one prediction, the version that computed them, and the silo it ran on.</summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Serving.Prediction")]
public sealed record Prediction(
    [property: Id(0)] string Model,
    [property: Id(1)] int Version,
    [property: Id(2)] TensorData[] Outputs,
    [property: Id(3)] string Silo);
