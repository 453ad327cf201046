namespace OrleansML.Serving;

/// <summary>
/// An OrleansML-native trainable architecture. <see cref="Type"/> picks the builder (<c>mlp</c> today: inputs →
/// hidden layers with an activation and optional dropout → outputs); new layer types add a builder, not a format.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Serving.ArchitectureSpec")]
public sealed record ArchitectureSpec(
    [property: Id(0)] string Type,
    [property: Id(1)] int Inputs,
    [property: Id(2)] int[] Hidden,
    [property: Id(3)] int Outputs,
    [property: Id(4)] string Activation = "relu",
    [property: Id(5)] double Dropout = 0);
