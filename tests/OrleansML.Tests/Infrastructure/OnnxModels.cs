using System.Text;

namespace OrleansML.Tests.Infrastructure;

/// <summary>
/// ONNX models written by the tests as protobuf bytes (field numbers from onnx.proto3), for what the backend
/// fixtures lack: a symbolic batch dimension, an opset ONNX Runtime no longer implements, an unknown operator.
/// </summary>
public static class OnnxModels
{
    /// <summary>The Gemm weights: 3 outputs of 4 features.</summary>
    public static readonly float[] Weights = [0.5f, -1, 2, 0, 1, 1, -0.25f, 3, -2, 0.5f, 0, 1];

    public static readonly float[] Bias = [0.1f, -0.2f, 0.3f];

    /// <summary>relu(x · Wᵀ + b) for x of shape [batch, 4], batch a symbolic dimension.</summary>
    public static byte[] GemmRelu(int opset = 13, string op = "Gemm") => Dense(4, 3, Weights, Bias, opset, op);

    /// <summary>A Gemm + Relu layer of <paramref name="inputs"/> to <paramref name="outputs"/> with weights that <paramref name="seed"/> picks.</summary>
    public static byte[] Dense(int inputs, int outputs, int seed)
    {
        var random = new Random(seed);
        var weights = Enumerable.Range(0, inputs * outputs).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        return Dense(inputs, outputs, weights, new float[outputs], 13, "Gemm");
    }

    /// <summary>A Gemm + Relu layer whose weights claim to live in another file (<c>data_location: EXTERNAL</c>).</summary>
    public static byte[] ExternalWeights(string location) => Model(13, Graph(
        [Node(["x", "W", "b"], ["h"], "Gemm", transB: true), Node(["h"], ["y"], "Relu")],
        [new Proto().Varint(1, 3).Varint(1, 4).Varint(2, 1).String(8, "W")
            .Message(13, new Proto().String(1, "location").String(2, location))
            .Message(13, new Proto().String(1, "length").String(2, "48"))
            .Varint(14, 1),
            Tensor("b", [3], Bias)],
        [Value("x", "batch", 4)],
        [Value("y", "batch", 3)]));

    private static byte[] Dense(int inputs, int outputs, float[] weights, float[] bias, int opset, string op) => Model(opset, Graph(
        [Node(["x", "W", "b"], ["h"], op, transB: true), Node(["h"], ["y"], "Relu")],
        [Tensor("W", [outputs, inputs], weights), Tensor("b", [outputs], bias)],
        [Value("x", "batch", inputs)],
        [Value("y", "batch", outputs)]));

    /// <summary>What <see cref="GemmRelu"/> computes for one row.</summary>
    public static float[] Expected(float[] row) =>
        Enumerable.Range(0, 3).Select(o => Math.Max(0, Enumerable.Range(0, 4).Sum(i => row[i] * Weights[o * 4 + i]) + Bias[o])).ToArray();

    private static byte[] Model(int opset, Proto graph) => new Proto()
        .Varint(1, 8)
        .String(2, "orleansml-tests")
        .Message(7, graph)
        .Message(8, new Proto().String(1, "").Varint(2, opset))
        .ToArray();

    private static Proto Graph(Proto[] nodes, Proto[] initializers, Proto[] inputs, Proto[] outputs)
    {
        var graph = new Proto();
        foreach (var node in nodes)
        {
            graph.Message(1, node);
        }

        graph.String(2, "g");
        foreach (var initializer in initializers)
        {
            graph.Message(5, initializer);
        }

        foreach (var input in inputs)
        {
            graph.Message(11, input);
        }

        foreach (var output in outputs)
        {
            graph.Message(12, output);
        }

        return graph;
    }

    private static Proto Node(string[] inputs, string[] outputs, string op, bool transB = false)
    {
        var node = new Proto();
        foreach (var input in inputs)
        {
            node.String(1, input);
        }

        foreach (var output in outputs)
        {
            node.String(2, output);
        }

        node.String(4, op);
        if (transB)
        {
            node.Message(5, new Proto().String(1, "transB").Varint(3, 1).Varint(20, 2));
        }

        return node;
    }

    private static Proto Tensor(string name, long[] dims, float[] values)
    {
        var tensor = new Proto();
        foreach (var dim in dims)
        {
            tensor.Varint(1, dim);
        }

        return tensor.Varint(2, 1).String(8, name).Bytes(9, V2BinaryFloats(values));
    }

    private static Proto Value(string name, string batch, long width) => new Proto()
        .String(1, name)
        .Message(2, new Proto().Message(1, new Proto()
            .Varint(1, 1)
            .Message(2, new Proto()
                .Message(1, new Proto().String(2, batch))
                .Message(1, new Proto().Varint(1, width)))));

    private static byte[] V2BinaryFloats(float[] values) => System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    /// <summary>A protobuf message written field by field.</summary>
    private sealed class Proto
    {
        private readonly List<byte> _bytes = [];

        public Proto Varint(int field, long value)
        {
            Tag(field, 0);
            Raw((ulong)value);
            return this;
        }

        public Proto String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public Proto Message(int field, Proto message) => Bytes(field, message.ToArray());

        public Proto Bytes(int field, byte[] value)
        {
            Tag(field, 2);
            Raw((ulong)value.Length);
            _bytes.AddRange(value);
            return this;
        }

        public byte[] ToArray() => [.. _bytes];

        private void Tag(int field, int wireType) => Raw((ulong)((field << 3) | wireType));

        private void Raw(ulong value)
        {
            while (value >= 0x80)
            {
                _bytes.Add((byte)(value | 0x80));
                value >>= 7;
            }

            _bytes.Add((byte)value);
        }
    }
}
