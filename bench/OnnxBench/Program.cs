using System.Diagnostics;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

// The ONNX benchmark's own parts (bench/wrk/onnx.sh):
//   models DIR                  writes DIR/small.onnx (1000-100-10) and DIR/heavy.onnx (1024-4096-4096-10): MLPs of
//                               Gemm + Relu, input "input" [batch, n], output "output", FP32, fixed-seed weights
//   floor FILE CONC SECONDS     the in-process floor: InferenceSession.Run in a loop on one thread for SECONDS, on one
//                               row (CONC 1) or on one CONC-row batch (the rate batching can approach at that
//                               concurrency); prints the wrk script's RESULT line, rows counted as requests and each
//                               run's time as their latency
return args switch
{
    ["models", var directory] => WriteModels(directory),
    ["floor", var file, var conc, var seconds] => Floor(file, int.Parse(conc), double.Parse(seconds)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: OrleansML.OnnxBench models DIR | floor FILE.onnx CONC SECONDS");
    return 2;
}

static int WriteModels(string directory)
{
    Directory.CreateDirectory(directory);
    File.WriteAllBytes(Path.Combine(directory, "small.onnx"), Mlp([1000, 100, 10], seed: 1).ToByteArray());
    File.WriteAllBytes(Path.Combine(directory, "heavy.onnx"), Mlp([1024, 4096, 4096, 10], seed: 1).ToByteArray());
    return 0;
}

static int Floor(string file, int conc, double seconds)
{
    // A silo's session settings (Grains/Onnx/OnnxSessionSettings) with every core to itself.
    using var options = new SessionOptions
    {
        IntraOpNumThreads = Environment.ProcessorCount,
        InterOpNumThreads = 1,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
    };
    options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
    using var session = new InferenceSession(file, options);
    var width = session.InputMetadata["input"].Dimensions[1];
    var rows = new float[conc * width];
    Array.Fill(rows, 0.5f);
    using var input = OrtValue.CreateTensorValueFromMemory(rows, [conc, width]);
    using var run = new RunOptions();
    string[] inputNames = ["input"], outputNames = ["output"];
    OrtValue[] inputs = [input];

    var times = new List<double>();
    var clock = Stopwatch.StartNew();
    while (clock.Elapsed.TotalSeconds < seconds / 10)
    {
        using var warm = session.Run(run, inputNames, inputs, outputNames);
    }

    clock.Restart();
    while (clock.Elapsed.TotalSeconds < seconds)
    {
        var start = Stopwatch.GetTimestamp();
        using var outputs = session.Run(run, inputNames, inputs, outputNames);
        times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }

    var elapsed = clock.Elapsed.TotalSeconds;
    times.Sort();
    Console.WriteLine($"RESULT requests={times.Count * conc} errors=0 seconds={elapsed:F3} p50_ms={Percentile(times, 50):F3} p99_ms={Percentile(times, 99):F3}");
    return 0;
}

static double Percentile(List<double> sorted, double percent) => sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(percent / 100 * sorted.Count) - 1)];

// Gemm (x · Wᵀ + b) and Relu per layer, no Relu after the last; weights uniform in ±1/√fan-in (PyTorch's Linear).
static ModelProto Mlp(int[] widths, int seed)
{
    var random = new Random(seed);
    var graph = new GraphProto { Name = "mlp" };
    var x = "input";
    for (var layer = 0; layer < widths.Length - 1; layer++)
    {
        var (inputs, outputs) = (widths[layer], widths[layer + 1]);
        var bound = 1 / MathF.Sqrt(inputs);
        var weights = new float[inputs * outputs];
        var bias = new float[outputs];
        foreach (var values in new[] { weights, bias })
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = ((float)random.NextDouble() * 2 - 1) * bound;
            }
        }

        graph.Initializer.Add(Tensor($"w{layer}", [outputs, inputs], weights));
        graph.Initializer.Add(Tensor($"b{layer}", [outputs], bias));
        var last = layer == widths.Length - 2;
        var gemm = last ? "output" : $"gemm{layer}";
        graph.Node.Add(new NodeProto
        {
            OpType = "Gemm",
            Input = { x, $"w{layer}", $"b{layer}" },
            Output = { gemm },
            Attribute = { new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Int, I = 1 } },
        });
        if (!last)
        {
            x = $"relu{layer}";
            graph.Node.Add(new NodeProto { OpType = "Relu", Input = { gemm }, Output = { x } });
        }
    }

    graph.Input.Add(Value("input", widths[0]));
    graph.Output.Add(Value("output", widths[^1]));
    return new ModelProto
    {
        IrVersion = 8,
        ProducerName = "orleansml-bench",
        OpsetImport = { new OperatorSetIdProto { Domain = "", Version = 13 } },
        Graph = graph,
    };
}

static TensorProto Tensor(string name, long[] dims, float[] values) => new()
{
    Name = name,
    DataType = (int)TensorProto.Types.DataType.Float,
    Dims = { dims },
    RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan())),
};

// A float tensor of a symbolic batch dimension and a fixed width.
static ValueInfoProto Value(string name, long width) => new()
{
    Name = name,
    Type = new TypeProto
    {
        TensorType = new TypeProto.Types.Tensor
        {
            ElemType = (int)TensorProto.Types.DataType.Float,
            Shape = new TensorShapeProto { Dim = { new TensorShapeProto.Types.Dimension { DimParam = "batch" }, new TensorShapeProto.Types.Dimension { DimValue = width } } },
        },
    },
};
