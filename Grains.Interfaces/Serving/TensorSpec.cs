namespace OrleansML.Serving;

/// <summary>
/// One named tensor of a model's signature: its datatype and shape, where -1 marks a free dimension. A leading -1
/// on every input marks the batch dimension (a signature without it is an unbatched model).
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Serving.TensorSpec")]
public sealed record TensorSpec(
    [property: Id(0)] string Name,
    [property: Id(1)] TensorDataType DataType,
    [property: Id(2)] long[] Shape)
{
    /// <summary>True when the first dimension is the batch (-1).</summary>
    public bool IsBatched => Shape.Length > 0 && Shape[0] == -1;

    /// <summary>Values in one batch row (every dimension after the batch, free ones as 1), or in the whole input of an unbatched model.</summary>
    public long RowSize => Shape.Skip(IsBatched ? 1 : 0).Aggregate(1L, (a, d) => a * Math.Max(d, 1));
}

/// <summary>What a model version takes and returns: every named input and output, in the model's order.</summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Serving.ModelSignature")]
public sealed record ModelSignature(
    [property: Id(0)] TensorSpec[] Inputs,
    [property: Id(1)] TensorSpec[] Outputs)
{
    /// <summary>A model whose every input starts with the batch dimension: concurrent requests can share a forward pass.</summary>
    public bool IsBatched => Inputs.Length > 0 && Inputs.All(i => i.IsBatched);

    public TensorSpec? Input(string name) => Inputs.FirstOrDefault(i => i.Name == name);

    public TensorSpec? Output(string name) => Outputs.FirstOrDefault(o => o.Name == name);
}

/// <summary>Tensors built from a signature.</summary>
public static class TensorSpecExtensions
{
    /// <summary>A tensor of zeros (empty strings for BYTES) of the spec's shape, free dimensions as 1: a warm-up or validation input.</summary>
    public static TensorData Zeros(this TensorSpec spec)
    {
        var shape = spec.Shape.Select(d => d < 0 ? 1 : d).ToArray();
        var count = shape.Aggregate(1L, (a, d) => a * d);
        return spec.DataType == TensorDataType.Bytes
            ? new TensorData(spec.Name, spec.DataType, shape, new byte[4 * count])
            : new TensorData(spec.Name, spec.DataType, shape, new byte[count * spec.DataType.ElementSize()]);
    }
}
