using System.Runtime.InteropServices;
using Google.Protobuf;
using Inference;
using Tensorflow;

namespace OrleansML.Tests.Grpc;

/// <summary>Requests and readers for the tests, built with the clients' generated types as a caller would.</summary>
public static class GrpcTensors
{
    public static ModelInferRequest.Types.InferInputTensor Fp32Input(string name, long[] shape, float[] values) =>
        new() { Name = name, Datatype = "FP32", Shape = { shape }, Contents = new InferTensorContents { Fp32Contents = { values } } };

    public static ModelInferRequest Typed(string model, params ModelInferRequest.Types.InferInputTensor[] inputs) =>
        new() { ModelName = model, Inputs = { inputs } };

    /// <summary>Each input's values as raw little-endian bytes, as tritonclient sends them.</summary>
    public static ModelInferRequest Raw(string model, params (string Name, long[] Shape, float[] Values)[] inputs)
    {
        var request = new ModelInferRequest { ModelName = model };
        foreach (var (name, shape, values) in inputs)
        {
            request.Inputs.Add(new ModelInferRequest.Types.InferInputTensor { Name = name, Datatype = "FP32", Shape = { shape } });
            request.RawInputContents.Add(ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())));
        }

        return request;
    }

    public static double[] Floats(ByteString raw) => MemoryMarshal.Cast<byte, float>(raw.Span).ToArray().Select(v => (double)v).ToArray();

    public static double[] Floats(InferTensorContents contents) => contents.Fp32Contents.Select(v => (double)v).ToArray();

    public static TensorProto FloatTensor(long[] shape, float[] values, bool content)
    {
        var tensor = new TensorProto { Dtype = DataType.DtFloat, TensorShape = Shape(shape) };
        if (content)
        {
            tensor.TensorContent = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
        }
        else
        {
            tensor.FloatVal.Add(values);
        }

        return tensor;
    }

    public static TensorShapeProto Shape(long[] shape)
    {
        var proto = new TensorShapeProto();
        proto.Dim.Add(shape.Select(d => new TensorShapeProto.Types.Dim { Size = d }));
        return proto;
    }

    public static double[] Floats(TensorProto tensor) =>
        tensor.TensorContent.Length > 0 ? Floats(tensor.TensorContent) : tensor.FloatVal.Select(v => (double)v).ToArray();

    public static float[] Ones(int count) => Enumerable.Repeat(1f, count).ToArray();
}
