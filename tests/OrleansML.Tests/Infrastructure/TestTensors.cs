using OrleansML.Serving;

namespace OrleansML.Tests.Infrastructure;

/// <summary>Tensors and requests for grain-level tests: one FP32 input named <c>input</c>.</summary>
public static class TestTensors
{
    public static TensorData Fp32(long[] shape, double[] values) =>
        TensorData.Of<float>("input", shape, values.Select(v => (float)v).ToArray());

    public static PredictionRequest Request(TensorData input, int? version = null, string? label = null) =>
        new([input], version, label);
}
