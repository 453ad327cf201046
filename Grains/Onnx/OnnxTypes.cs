using Microsoft.ML.OnnxRuntime.Tensors;
using OrleansML.Errors;
using OrleansML.Serving;

namespace OrleansML.Onnx;

/// <summary>ONNX tensor element types ⇄ V2 datatypes: the same set, one to one, strings as BYTES.</summary>
public static class OnnxTypes
{
    public static TensorDataType DataTypeOf(TensorElementType type) => type switch
    {
        TensorElementType.Bool => TensorDataType.Bool,
        TensorElementType.UInt8 => TensorDataType.UInt8,
        TensorElementType.UInt16 => TensorDataType.UInt16,
        TensorElementType.UInt32 => TensorDataType.UInt32,
        TensorElementType.UInt64 => TensorDataType.UInt64,
        TensorElementType.Int8 => TensorDataType.Int8,
        TensorElementType.Int16 => TensorDataType.Int16,
        TensorElementType.Int32 => TensorDataType.Int32,
        TensorElementType.Int64 => TensorDataType.Int64,
        TensorElementType.Float16 => TensorDataType.FP16,
        TensorElementType.BFloat16 => TensorDataType.BF16,
        TensorElementType.Float => TensorDataType.FP32,
        TensorElementType.Double => TensorDataType.FP64,
        TensorElementType.String => TensorDataType.Bytes,
        _ => throw PlatformException.Invalid($"the model has a {type} tensor, which has no KServe V2 datatype."),
    };

    public static TensorElementType ElementTypeOf(TensorDataType type) => type switch
    {
        TensorDataType.Bool => TensorElementType.Bool,
        TensorDataType.UInt8 => TensorElementType.UInt8,
        TensorDataType.UInt16 => TensorElementType.UInt16,
        TensorDataType.UInt32 => TensorElementType.UInt32,
        TensorDataType.UInt64 => TensorElementType.UInt64,
        TensorDataType.Int8 => TensorElementType.Int8,
        TensorDataType.Int16 => TensorElementType.Int16,
        TensorDataType.Int32 => TensorElementType.Int32,
        TensorDataType.Int64 => TensorElementType.Int64,
        TensorDataType.FP16 => TensorElementType.Float16,
        TensorDataType.BF16 => TensorElementType.BFloat16,
        TensorDataType.FP32 => TensorElementType.Float,
        TensorDataType.FP64 => TensorElementType.Double,
        TensorDataType.Bytes => TensorElementType.String,
        _ => throw PlatformException.Invalid($"{type} has no ONNX element type."),
    };
}
