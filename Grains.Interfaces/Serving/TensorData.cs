namespace OrleansML.Serving;

/// <summary>
/// A tensor on the wire: row-major values with their shape and data type. Values travel as doubles, which hold
/// every FP32, INT32 and (up to 2^53) INT64 value exactly; the replica converts them to the model's dtype.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Serving.TensorData")]
public sealed record TensorData(
    [property: Id(0)] string Name,
    [property: Id(1)] string DataType,
    [property: Id(2)] long[] Shape,
    [property: Id(3)] double[] Data);
