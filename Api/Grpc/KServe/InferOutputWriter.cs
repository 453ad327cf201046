using System.Globalization;
using Google.Protobuf;
using Inference;
using OrleansML.Serving;

namespace OrleansML.Api.Grpc.KServe;

/// <summary>
/// A prediction as a V2 <c>ModelInferResponse</c>: every output's buffer as its <c>raw_output_contents</c> entry
/// (wrapped, not copied), or its values in the typed <c>contents</c> field of its datatype.
/// </summary>
internal static class InferOutputWriter
{
    /// <summary>
    /// Raw when the request sent raw inputs (Triton's clients do), asked for it with <c>binary_data_output</c>, or an
    /// output has no typed field (FP16, BF16); typed contents otherwise, mirroring the request.
    /// </summary>
    public static bool WantsRaw(ModelInferRequest request, Prediction prediction) =>
        request.RawInputContents.Count > 0
        || (request.Parameters.TryGetValue("binary_data_output", out var flag) && flag.BoolParam)
        || prediction.Outputs.Any(o => o.DataType is TensorDataType.FP16 or TensorDataType.BF16);

    public static ModelInferResponse Write(Prediction prediction, string id, bool raw)
    {
        var response = new ModelInferResponse
        {
            ModelName = prediction.Model,
            ModelVersion = prediction.Version.ToString(CultureInfo.InvariantCulture),
            Id = id,
        };
        foreach (var output in prediction.Outputs)
        {
            var tensor = new ModelInferResponse.Types.InferOutputTensor { Name = output.Name, Datatype = output.DataType.Name() };
            tensor.Shape.Add(output.Shape);
            if (raw)
            {
                response.RawOutputContents.Add(GrpcBytes.Wrap(output.Data));
            }
            else
            {
                tensor.Contents = Contents(output);
            }

            response.Outputs.Add(tensor);
        }

        return response;
    }

    private static InferTensorContents Contents(TensorData output)
    {
        var contents = new InferTensorContents();
        switch (output.DataType)
        {
            case TensorDataType.Bool:
                contents.BoolContents.Add(output.Values<byte>().ToArray().Select(b => b != 0));
                break;
            case TensorDataType.Int32:
                contents.IntContents.Add(output.Values<int>().ToArray());
                break;
            case TensorDataType.Int8:
                contents.IntContents.Add(output.Values<sbyte>().ToArray().Select(v => (int)v));
                break;
            case TensorDataType.Int16:
                contents.IntContents.Add(output.Values<short>().ToArray().Select(v => (int)v));
                break;
            case TensorDataType.Int64:
                contents.Int64Contents.Add(output.Values<long>().ToArray());
                break;
            case TensorDataType.UInt8:
                contents.UintContents.Add(output.Data.Select(v => (uint)v));
                break;
            case TensorDataType.UInt16:
                contents.UintContents.Add(output.Values<ushort>().ToArray().Select(v => (uint)v));
                break;
            case TensorDataType.UInt32:
                contents.UintContents.Add(output.Values<uint>().ToArray());
                break;
            case TensorDataType.UInt64:
                contents.Uint64Contents.Add(output.Values<ulong>().ToArray());
                break;
            case TensorDataType.FP32:
                contents.Fp32Contents.Add(output.Values<float>().ToArray());
                break;
            case TensorDataType.FP64:
                contents.Fp64Contents.Add(output.Values<double>().ToArray());
                break;
            case TensorDataType.Bytes:
                contents.BytesContents.Add(output.BytesElements().Select(GrpcBytes.Wrap));
                break;
        }

        return contents;
    }
}
