using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using OrleansML.Serving;

namespace OrleansML.Api.TensorFlowServing;

/// <summary><c>GET /v1/models/{m}</c>: TF Serving's model status.</summary>
public sealed record ModelStatusResponse([property: JsonPropertyName("model_version_status")] VersionStatus[] ModelVersionStatus);

public sealed record VersionStatus(
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("status")] StatusBody Status)
{
    /// <summary>TF Serving's states are START, LOADING, AVAILABLE, UNLOADING and END; a failed version has ended with its reason.</summary>
    public static VersionStatus From(ModelVersionInfo version) => new(
        version.Version.ToString(CultureInfo.InvariantCulture),
        version.State switch
        {
            VersionState.Available => "AVAILABLE",
            VersionState.Loading => "LOADING",
            VersionState.Unloading => "UNLOADING",
            _ => "END",
        },
        version.State == VersionState.Failed
            ? new StatusBody("UNKNOWN", version.FailureReason ?? "failed to load")
            : new StatusBody("OK", ""));
}

public sealed record StatusBody(
    [property: JsonPropertyName("error_code")] string ErrorCode,
    [property: JsonPropertyName("error_message")] string ErrorMessage);

/// <summary><c>GET /v1/models/{m}/metadata</c>: the model spec and its one signature, <c>serving_default</c>, as TF Serving writes it.</summary>
public static class ModelMetadataDocument
{
    public static JsonObject From(string model, ModelVersionInfo version) => new()
    {
        ["model_spec"] = new JsonObject
        {
            ["name"] = model,
            ["signature_name"] = "",
            ["version"] = version.Version.ToString(CultureInfo.InvariantCulture),
        },
        ["metadata"] = new JsonObject
        {
            ["signature_def"] = new JsonObject
            {
                ["signature_def"] = new JsonObject
                {
                    ["serving_default"] = new JsonObject
                    {
                        ["inputs"] = Tensors(version.Signature.Inputs),
                        ["outputs"] = Tensors(version.Signature.Outputs),
                        ["method_name"] = "tensorflow/serving/predict",
                    },
                },
            },
        },
    };

    private static JsonObject Tensors(IEnumerable<TensorSpec> specs)
    {
        var tensors = new JsonObject();
        foreach (var spec in specs)
        {
            var dims = new JsonArray();
            foreach (var size in spec.Shape)
            {
                dims.Add(new JsonObject { ["size"] = size.ToString(CultureInfo.InvariantCulture), ["name"] = "" });
            }

            tensors[spec.Name] = new JsonObject
            {
                ["dtype"] = DType(spec.DataType),
                ["tensor_shape"] = new JsonObject { ["dim"] = dims, ["unknown_rank"] = false },
                ["name"] = spec.Name,
            };
        }

        return tensors;
    }

    /// <summary>TensorFlow's DataType enum name for a V2 datatype.</summary>
    public static string DType(TensorDataType type) => type switch
    {
        TensorDataType.Bool => "DT_BOOL",
        TensorDataType.UInt8 => "DT_UINT8",
        TensorDataType.UInt16 => "DT_UINT16",
        TensorDataType.UInt32 => "DT_UINT32",
        TensorDataType.UInt64 => "DT_UINT64",
        TensorDataType.Int8 => "DT_INT8",
        TensorDataType.Int16 => "DT_INT16",
        TensorDataType.Int32 => "DT_INT32",
        TensorDataType.Int64 => "DT_INT64",
        TensorDataType.FP16 => "DT_HALF",
        TensorDataType.BF16 => "DT_BFLOAT16",
        TensorDataType.FP64 => "DT_DOUBLE",
        TensorDataType.Bytes => "DT_STRING",
        _ => "DT_FLOAT",
    };
}
