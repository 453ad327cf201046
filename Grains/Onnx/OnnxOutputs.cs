using System.Text;
using Microsoft.ML.OnnxRuntime;
using OrleansML.Errors;
using OrleansML.Serving;

namespace OrleansML.Onnx;

/// <summary>An output OrtValue read back as a <see cref="TensorData"/>: numeric values as one block, strings as BYTES.</summary>
public static class OnnxOutputs
{
    public static TensorData Read(string name, OrtValue value)
    {
        if (value.OnnxType != OnnxValueType.ONNX_TYPE_TENSOR)
        {
            throw PlatformException.Invalid($"the model's output '{name}' is a {value.OnnxType}; OrleansML serves tensor outputs.");
        }

        var info = value.GetTensorTypeAndShape();
        var dataType = OnnxTypes.DataTypeOf(info.ElementDataType);
        if (dataType != TensorDataType.Bytes)
        {
            return new TensorData(name, dataType, info.Shape, value.GetTensorMutableRawData().ToArray());
        }

        var elements = new byte[info.ElementCount][];
        for (var i = 0; i < elements.Length; i++)
        {
            elements[i] = Encoding.UTF8.GetBytes(value.GetStringElement(i));
        }

        return TensorData.OfBytes(name, info.Shape, elements);
    }
}
