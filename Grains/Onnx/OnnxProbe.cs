using OrleansML.Serving;

namespace OrleansML.Onnx;

/// <summary>
/// The inputs of an ONNX model's test inference and warm-up: zeros of the signature's shapes (free dimensions as
/// 1, empty strings for BYTES), except integer inputs, which are ones: ONNX graphs take shapes, indices and
/// repeat counts as integer tensors (Expand, Reshape, Tile, Gather), where a zero is often not a valid value.
/// </summary>
public static class OnnxProbe
{
    public static TensorData[] Inputs(ModelSignature signature) => signature.Inputs.Select(Input).ToArray();

    private static TensorData Input(TensorSpec spec)
    {
        var zeros = spec.Zeros();
        if (!IsInteger(spec.DataType))
        {
            return zeros;
        }

        var width = spec.DataType.ElementSize();
        for (var offset = 0; offset < zeros.Data.Length; offset += width)
        {
            zeros.Data[offset] = 1;
        }

        return zeros;
    }

    private static bool IsInteger(TensorDataType type) => type is TensorDataType.UInt8 or TensorDataType.UInt16 or TensorDataType.UInt32
        or TensorDataType.UInt64 or TensorDataType.Int8 or TensorDataType.Int16 or TensorDataType.Int32 or TensorDataType.Int64;
}
