namespace OrleansML.Serving;

/// <summary>
/// One named tensor of a model's signature: its data type (FP32, FP64, INT32, INT64, as in KServe V2) and shape,
/// where -1 marks the batch dimension.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Serving.TensorSpec")]
public sealed record TensorSpec(
    [property: Id(0)] string Name,
    [property: Id(1)] string DataType,
    [property: Id(2)] long[] Shape)
{
    /// <summary>Number of values in one batch row: the product of every dimension after the batch dimension.</summary>
    public long RowSize => Shape.Skip(1).Aggregate(1L, (a, d) => a * Math.Max(d, 1));
}

/// <summary>What a model version takes and returns.</summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Serving.ModelSignature")]
public sealed record ModelSignature(
    [property: Id(0)] TensorSpec Input,
    [property: Id(1)] TensorSpec[] Outputs);
