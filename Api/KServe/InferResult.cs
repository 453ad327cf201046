using System.Buffers;
using System.Globalization;
using System.Text.Json;
using OrleansML.Api.Http;
using OrleansML.Serving;

namespace OrleansML.Api.KServe;

/// <summary>
/// Writes a V2 inference response straight to the body: JSON (<c>application/json</c>) with each output's data, or,
/// when any output is asked for in binary, the JSON header followed by those outputs' raw bytes
/// (<c>application/octet-stream</c>, <c>Inference-Header-Content-Length</c>, <c>parameters.binary_data_size</c>).
/// </summary>
public sealed class InferResult(Prediction prediction, string? id, IReadOnlySet<string> binaryOutputs) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var header = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(header))
        {
            writer.WriteStartObject();
            writer.WriteString("model_name", prediction.Model);
            writer.WriteString("model_version", prediction.Version.ToString(CultureInfo.InvariantCulture));
            if (id is not null)
            {
                writer.WriteString("id", id);
            }

            writer.WriteStartArray("outputs");
            foreach (var output in prediction.Outputs)
            {
                writer.WriteStartObject();
                writer.WriteString("name", output.Name);
                writer.WriteString("datatype", output.DataType.Name());
                writer.WriteStartArray("shape");
                foreach (var size in output.Shape)
                {
                    writer.WriteNumberValue(size);
                }

                writer.WriteEndArray();
                if (binaryOutputs.Contains(output.Name))
                {
                    writer.WriteStartObject("parameters");
                    writer.WriteNumber("binary_data_size", output.Data.Length);
                    writer.WriteEndObject();
                }
                else
                {
                    writer.WritePropertyName("data");
                    TensorJson.WriteValues(writer, output, nested: false);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        var response = httpContext.Response;
        var binary = prediction.Outputs.Where(o => binaryOutputs.Contains(o.Name)).ToList();
        if (binary.Count == 0)
        {
            response.ContentType = "application/json";
            response.ContentLength = header.WrittenCount;
            await response.Body.WriteAsync(header.WrittenMemory, httpContext.RequestAborted);
            return;
        }

        response.ContentType = "application/octet-stream";
        response.Headers[InferRequestReader.HeaderLength] = header.WrittenCount.ToString(CultureInfo.InvariantCulture);
        response.ContentLength = header.WrittenCount + binary.Sum(o => (long)o.Data.Length);
        await response.Body.WriteAsync(header.WrittenMemory, httpContext.RequestAborted);
        foreach (var output in binary)
        {
            await response.Body.WriteAsync(output.Data, httpContext.RequestAborted);
        }
    }
}
