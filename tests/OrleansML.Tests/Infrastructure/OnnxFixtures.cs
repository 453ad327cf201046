using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using OrleansML.Serving;

namespace OrleansML.Tests.Infrastructure;

/// <summary>
/// The ONNX backend test models (tests/fixtures/onnx, from github.com/onnx/onnx, Apache 2.0) and their reference
/// tensors as <c>expected.json</c> holds them in the KServe V2 shape.
/// </summary>
public static class OnnxFixtures
{
    public static readonly string[] Names = ["linear_no_bias", "conv2d", "embedding", "concat2", "chunk", "expand_shape", "reduce_fp64", "strnorm"];

    public static IEnumerable<object[]> All => Names.Select(n => new object[] { n });

    public static string Model(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "onnx", name, "model.onnx");

    public static JsonElement Expected(string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "onnx", name, "expected.json"))).RootElement.Clone();

    public static IEnumerable<JsonElement> Inputs(string name) => Expected(name).GetProperty("inputs").EnumerateArray();

    public static IEnumerable<JsonElement> Outputs(string name) => Expected(name).GetProperty("outputs").EnumerateArray();

    public static long[] Shape(JsonElement tensor) => tensor.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();

    public static string Datatype(JsonElement tensor) => tensor.GetProperty("datatype").GetString()!;

    /// <summary>A reference tensor's values as V2 binary bytes (little-endian; BYTES length-prefixed).</summary>
    public static byte[] Bytes(JsonElement tensor)
    {
        var data = tensor.GetProperty("data").EnumerateArray().ToList();
        switch (Datatype(tensor))
        {
            case "BYTES":
                return TensorData.OfStrings("", [data.Count], data.Select(d => d.GetString()!)).Data;
            case "INT64":
                return Write(data, 8, (span, e) => BinaryPrimitives.WriteInt64LittleEndian(span, e.GetInt64()));
            case "FP64":
                return Write(data, 8, (span, e) => BinaryPrimitives.WriteDoubleLittleEndian(span, e.GetDouble()));
            case "FP32":
                return Write(data, 4, (span, e) => BinaryPrimitives.WriteSingleLittleEndian(span, e.GetSingle()));
            case var other:
                throw new NotSupportedException(other);
        }
    }

    /// <summary>Asserts an answer (its datatype, shape and values, from JSON or decoded binary) is the reference output.</summary>
    public static void AssertMatches(JsonElement expected, string datatype, long[] shape, IReadOnlyList<object> values)
    {
        var name = expected.GetProperty("name").GetString();
        Assert.Equal(Datatype(expected), datatype);
        Assert.Equal(Shape(expected), shape);
        var reference = expected.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(reference.Count, values.Count);
        for (var i = 0; i < reference.Count; i++)
        {
            switch (datatype)
            {
                case "BYTES":
                    Assert.Equal(reference[i].GetString(), (string)values[i]);
                    break;
                case "INT64":
                    Assert.Equal(reference[i].GetInt64(), Convert.ToInt64(values[i]));
                    break;
                default:
                    var (e, a) = (reference[i].GetDouble(), Convert.ToDouble(values[i]));
                    Assert.True(Math.Abs(e - a) <= 1e-5 + 1e-4 * Math.Abs(e), $"output '{name}' element {i}: expected {e}, got {a}");
                    break;
            }
        }
    }

    /// <summary>V2 binary output bytes decoded for <see cref="AssertMatches"/>.</summary>
    public static IReadOnlyList<object> Decode(string datatype, byte[] bytes) => datatype switch
    {
        "BYTES" => new TensorData("", TensorDataType.Bytes, [], bytes).BytesElements().Select(e => (object)Encoding.UTF8.GetString(e)).ToList(),
        "INT64" => Enumerable.Range(0, bytes.Length / 8).Select(i => (object)BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(i * 8))).ToList(),
        "FP64" => Enumerable.Range(0, bytes.Length / 8).Select(i => (object)BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(i * 8))).ToList(),
        "FP32" => Enumerable.Range(0, bytes.Length / 4).Select(i => (object)(double)BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4))).ToList(),
        var other => throw new NotSupportedException(other),
    };

    /// <summary>JSON output data decoded for <see cref="AssertMatches"/>.</summary>
    public static IReadOnlyList<object> Decode(string datatype, JsonElement data) =>
        data.EnumerateArray().Select(e => datatype switch
        {
            "BYTES" => (object)e.GetString()!,
            "INT64" => e.GetInt64(),
            _ => e.GetDouble(),
        }).ToList();

    private static byte[] Write(List<JsonElement> data, int width, Action<Span<byte>, JsonElement> write)
    {
        var bytes = new byte[data.Count * width];
        for (var i = 0; i < data.Count; i++)
        {
            write(bytes.AsSpan(i * width), data[i]);
        }

        return bytes;
    }
}
