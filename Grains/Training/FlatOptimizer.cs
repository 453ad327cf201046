namespace OrleansML.Training;

/// <summary>
/// SGD and Adam (PyTorch's update rules and defaults) over a model's parameters seen as one flat vector, so the
/// state a checkpoint must keep is plain arrays: the step count and, for Adam, the two moment vectors.
/// </summary>
public sealed class FlatOptimizer
{
    public static readonly string[] Names = ["sgd", "adam"];

    private const float Beta1 = 0.9f;
    private const float Beta2 = 0.999f;
    private const float Epsilon = 1e-8f;

    private readonly bool _adam;
    private readonly float _learningRate;

    public FlatOptimizer(string kind, double learningRate, int size)
    {
        _adam = string.Equals(kind, "adam", StringComparison.OrdinalIgnoreCase);
        _learningRate = (float)learningRate;
        First = _adam ? new float[size] : [];
        Second = _adam ? new float[size] : [];
    }

    public long Steps { get; set; }

    public float[] First { get; }

    public float[] Second { get; }

    /// <summary>Starts a step: call <see cref="Update"/> for every parameter segment after it.</summary>
    public void BeginStep() => Steps++;

    /// <summary>Updates one parameter whose slice of the flat vector starts at <paramref name="offset"/>.</summary>
    public void Update(Span<float> parameter, ReadOnlySpan<float> gradient, int offset)
    {
        if (!_adam)
        {
            for (var i = 0; i < parameter.Length; i++)
            {
                parameter[i] -= _learningRate * gradient[i];
            }

            return;
        }

        var m = First.AsSpan(offset, parameter.Length);
        var v = Second.AsSpan(offset, parameter.Length);
        var stepSize = _learningRate / (1 - MathF.Pow(Beta1, Steps));
        var bias2Sqrt = MathF.Sqrt(1 - MathF.Pow(Beta2, Steps));
        for (var i = 0; i < parameter.Length; i++)
        {
            var g = gradient[i];
            m[i] += (g - m[i]) * (1 - Beta1);
            v[i] = v[i] * Beta2 + (1 - Beta2) * g * g;
            parameter[i] -= stepSize * m[i] / (MathF.Sqrt(v[i]) / bias2Sqrt + Epsilon);
        }
    }
}
