using System.Buffers.Binary;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace OrleansML.Tests.Api;

/// <summary>
/// The KServe V2 binary tensor data extension framed by hand from the specification, as tritonclient frames it:
/// a JSON header whose inputs carry <c>parameters.binary_data_size</c>, its length in
/// <c>Inference-Header-Content-Length</c>, then each input's raw little-endian bytes.
/// </summary>
public static class V2Binary
{
    public sealed record Input(string Name, string Datatype, long[] Shape, byte[] Bytes);

    public static HttpContent Request(IEnumerable<Input> inputs, string? outputsJson = null, bool binaryOutput = true)
    {
        var list = inputs.ToList();
        var header = new StringBuilder("{\"inputs\":[");
        header.AppendJoin(",", list.Select(i =>
            $"{{\"name\":\"{i.Name}\",\"datatype\":\"{i.Datatype}\",\"shape\":[{string.Join(",", i.Shape)}],\"parameters\":{{\"binary_data_size\":{i.Bytes.Length}}}}}"));
        header.Append(']');
        if (outputsJson is not null)
        {
            header.Append(",\"outputs\":").Append(outputsJson);
        }

        header.Append($",\"parameters\":{{\"binary_data_output\":{(binaryOutput ? "true" : "false")}}}}}");
        var json = Encoding.UTF8.GetBytes(header.ToString());
        return Raw(json, list.Select(i => i.Bytes), json.Length.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>A body of JSON header and binary parts, with whatever header length the test says.</summary>
    public static HttpContent Raw(byte[] json, IEnumerable<byte[]> parts, string? headerLength)
    {
        var body = json.Concat(parts.SelectMany(p => p)).ToArray();
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        if (headerLength is not null)
        {
            content.Headers.Add("Inference-Header-Content-Length", headerLength);
        }

        return content;
    }

    public static byte[] Floats(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        }

        return bytes;
    }

    public static byte[] Longs(params long[] values)
    {
        var bytes = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), values[i]);
        }

        return bytes;
    }

    /// <summary>Reads a binary response: the JSON header, and each binary output's bytes by name.</summary>
    public static async Task<(JsonElement Header, Dictionary<string, byte[]> Outputs)> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsByteArrayAsync();
        var length = response.Headers.TryGetValues("Inference-Header-Content-Length", out var values)
            ? int.Parse(values.Single(), CultureInfo.InvariantCulture)
            : body.Length;
        var header = JsonDocument.Parse(body.AsMemory(0, length)).RootElement.Clone();
        var outputs = new Dictionary<string, byte[]>();
        var offset = length;
        foreach (var output in header.GetProperty("outputs").EnumerateArray())
        {
            if (output.TryGetProperty("parameters", out var parameters) && parameters.TryGetProperty("binary_data_size", out var size))
            {
                outputs[output.GetProperty("name").GetString()!] = body[offset..(offset + size.GetInt32())];
                offset += size.GetInt32();
            }
        }

        Assert.Equal(body.Length, offset);
        return (header, outputs);
    }

    public static float[] ToFloats(byte[] bytes) =>
        Enumerable.Range(0, bytes.Length / 4).Select(i => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4))).ToArray();

    public static long[] ToLongs(byte[] bytes) =>
        Enumerable.Range(0, bytes.Length / 8).Select(i => BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(i * 8))).ToArray();
}
