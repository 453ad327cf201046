namespace OrleansML.Serving;

/// <summary>
/// Feature standardization stored with a version and applied before every forward pass: x' = (x - mean) / std,
/// per feature, with the statistics of the training set.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Serving.Standardization")]
public sealed record Standardization(
    [property: Id(0)] float[] Mean,
    [property: Id(1)] float[] Std);
