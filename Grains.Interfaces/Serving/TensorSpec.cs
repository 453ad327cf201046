namespace OrleansML.Serving;

/// <summary>
/// One named tensor of a model's signature: its data type (FP32, FP64, INT32, INT64, as in KServe V2) and shape,
/// where a leading -1 marks the batch dimension (a signature without it is an unbatched model).
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Serving.TensorSpec")]
public sealed record TensorSpec(
    [property: Id(0)] string Name,
    [property: Id(1)] string DataType,
    [property: Id(2)] long[] Shape)
{
    /// <summary>True when the first dimension is the batch (-1); an unbatched model takes exactly one input of its shape.</summary>
    public bool IsBatched => Shape.Length > 0 && Shape[0] == -1;

    /// <summary>Values in one batch row (every dimension after the batch), or in the whole input of an unbatched model.</summary>
    public long RowSize => Shape.Skip(IsBatched ? 1 : 0).Aggregate(1L, (a, d) => a * Math.Max(d, 1));
}

/// <summary>What a model version takes and returns.</summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Serving.ModelSignature")]
public sealed record ModelSignature(
    [property: Id(0)] TensorSpec Input,
    [property: Id(1)] TensorSpec[] Outputs);
