namespace OrleansML.Tests.Infrastructure;

/// <summary>The PyTorch-saved TorchScript fixtures (tests/fixtures/torchscript) and their known outputs.</summary>
public static class Fixtures
{
    public static string L1000 => Path.Combine(AppContext.BaseDirectory, "fixtures", "torchscript", "l1000_100_10.script.dat");

    public static string Scripted => Path.Combine(AppContext.BaseDirectory, "fixtures", "torchscript", "scripted.script.dat");

    public static string OptDigitsTrain => Path.Combine(AppContext.BaseDirectory, "data", "optdigits", "optdigits.tra");

    public static string OptDigitsTest => Path.Combine(AppContext.BaseDirectory, "data", "optdigits", "optdigits.tes");

    /// <summary>What PyTorch computed for <c>torch.ones(1000)</c> through the 1000-100-10 model.</summary>
    public static readonly double[] L1000OnesOutput =
        [0.564213157, -0.04519982, -0.005117342, 0.395530462, -0.3780813, -0.004734449, -0.3221216, -0.289159119, 0.268511474, 0.180702567];

    /// <summary>What PyTorch computed for <c>torch.ones(6)</c> through the scripted module.</summary>
    public static readonly double[] ScriptedOnesOutput = [1.554085, 1.01024628, -1.35086036, -1.84021854, 0.0127189457, 0.5994258];

    public static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double rtol = 1e-4, double atol = 1e-5)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= atol + rtol * Math.Abs(expected[i]),
                $"element {i}: expected {expected[i]}, got {actual[i]}");
        }
    }
}
