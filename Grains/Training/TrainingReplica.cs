using System.Runtime.InteropServices;
using OrleansML.Serving;
using OrleansML.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace OrleansML.Training;

/// <summary>
/// A model being trained on one device: computes the gradient of a weighted mean loss into a flat vector, and
/// applies a (reduced) flat gradient with its <see cref="FlatOptimizer"/>. It owns the module.
/// </summary>
public sealed class TrainingReplica : IDisposable
{
    private readonly TorchModel _model;
    private readonly TorchSharp.Modules.Parameter[] _parameters;
    private readonly double[]? _classes;
    private readonly Standardization? _standardization;

    public TrainingReplica(TorchModel model, string optimizer, double learningRate, double[]? classes, Standardization? standardization)
    {
        _model = model;
        _model.Module.train();
        _parameters = model.Module.parameters().Where(p => p.requires_grad).ToArray();
        Size = (int)_parameters.Sum(p => p.numel());
        Gradient = new float[Size];
        Optimizer = new FlatOptimizer(optimizer, learningRate, Size);
        _classes = classes;
        _standardization = standardization;
    }

    /// <summary>Number of trainable floats: the size of the gradient every round all-reduces.</summary>
    public int Size { get; }

    public float[] Gradient { get; }

    public FlatOptimizer Optimizer { get; }

    public TorchModel Model => _model;

    /// <summary>
    /// Fills <see cref="Gradient"/> with the gradient of <c>weight · mean loss</c> over the rows (zero for no rows)
    /// and returns that weighted loss. With weight = rows / global batch, the sum over workers is the global mean.
    /// </summary>
    public double ComputeGradient(float[] features, float[] labels, int rows, double weight)
    {
        if (rows == 0)
        {
            Array.Clear(Gradient);
            return 0;
        }

        var loss = Backward(features, labels, rows, weight);
        var offset = 0;
        foreach (var p in _parameters)
        {
            var length = (int)p.numel();
            using var grad = p.grad;
            if (grad is null)
            {
                Gradient.AsSpan(offset, length).Clear();
            }
            else
            {
                Read(grad, Gradient.AsSpan(offset, length));
            }

            offset += length;
        }

        return loss;
    }

    /// <summary>
    /// One training step of a replica that trains alone: the gradient of the mean loss is stepped from the
    /// parameters' own gradient memory, with no copy into <see cref="Gradient"/> (there is nothing to all-reduce).
    /// Returns the mean loss. Same update as <see cref="ComputeGradient"/> with weight 1 then <see cref="Step"/>.
    /// </summary>
    public double TrainAlone(float[] features, float[] labels, int rows)
    {
        var loss = Backward(features, labels, rows, 1);
        Optimizer.BeginStep();
        var offset = 0;
        foreach (var p in _parameters)
        {
            var length = (int)p.numel();
            using var grad = p.grad;
            if (grad is not null && IsCpuContiguous(grad) && IsCpuContiguous(p))
            {
                Optimizer.Update(MemoryMarshal.Cast<byte, float>(p.bytes), MemoryMarshal.Cast<byte, float>(grad.bytes), offset);
            }
            else
            {
                // On a GPU the gradient goes through host memory, as in Step.
                var gradient = Gradient.AsSpan(offset, length);
                if (grad is null)
                {
                    gradient.Clear();
                }
                else
                {
                    Read(grad, gradient);
                }

                Write(p, values => Optimizer.Update(values, Gradient.AsSpan(offset, length), offset));
            }

            offset += length;
        }

        return loss;
    }

    /// <summary>Leaves the gradient of <c>weight · mean loss</c> over the rows in the parameters and returns that loss.</summary>
    private double Backward(float[] features, float[] labels, int rows, double weight)
    {
        using var scope = NewDisposeScope();
        _model.Module.zero_grad();
        using var input = Input(features, rows);
        using var output = _model.Forward(input);
        using var loss = Loss(output, labels, rows);
        if (weight == 1)
        {
            loss.backward();
            return loss.item<float>();
        }

        using var weighted = loss * weight;
        weighted.backward();
        return weighted.item<float>();
    }

    /// <summary>Applies one optimizer step with <paramref name="gradient"/>.</summary>
    public void Step(float[] gradient)
    {
        Optimizer.BeginStep();
        var offset = 0;
        foreach (var p in _parameters)
        {
            var length = (int)p.numel();
            Write(p, values => Optimizer.Update(values, gradient.AsSpan(offset, length), offset));
            offset += length;
        }
    }

    /// <summary>Sum of losses and number of correct predictions (classification) on the rows, without gradients.</summary>
    public (double LossSum, long Correct) Evaluate(float[] features, float[] labels, int rows)
    {
        if (rows == 0)
        {
            return (0, 0);
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _model.Module.eval();
        try
        {
            using var output = _model.Forward(Input(features, rows));
            var loss = Loss(output, labels, rows).item<float>() * rows;
            if (_classes is null)
            {
                return (loss, 0);
            }

            using var predicted = output.argmax(1);
            using var targets = Targets(labels, rows);
            return (loss, predicted.eq(targets).sum().item<long>());
        }
        finally
        {
            _model.Module.train();
        }
    }

    /// <summary>Copies every trainable parameter into <paramref name="values"/> (<see cref="Size"/> floats).</summary>
    public void ReadParameters(Span<float> values)
    {
        var offset = 0;
        foreach (var p in _parameters)
        {
            var length = (int)p.numel();
            Read(p, values.Slice(offset, length));
            offset += length;
        }
    }

    public void WriteParameters(ReadOnlySpan<float> values)
    {
        var offset = 0;
        foreach (var p in _parameters)
        {
            var length = (int)p.numel();
            var slice = values.Slice(offset, length).ToArray();
            Write(p, target => slice.CopyTo(target));
            offset += length;
        }
    }

    public void Dispose() => _model.Dispose();

    private Tensor Input(float[] features, int rows)
    {
        var width = features.Length / Math.Max(rows, 1);
        if (_standardization is not { } z)
        {
            return tensor(features.Length == rows * width ? features : features.AsSpan(0, rows * width).ToArray(), [rows, width], device: _model.Device);
        }

        // Standardized into a copy: the caller's features stay as read.
        var values = features.AsSpan(0, rows * width).ToArray();
        width = z.Mean.Length;
        for (var i = 0; i < values.Length; i++)
        {
            var c = i % width;
            values[i] = (values[i] - z.Mean[c]) / z.Std[c];
        }

        return tensor(values, [rows, width], device: _model.Device);
    }

    private Tensor Loss(Tensor output, float[] labels, int rows)
    {
        if (_classes is not null)
        {
            using var targets = Targets(labels, rows);
            return nn.functional.cross_entropy(output, targets);
        }

        using var expected = tensor(labels.AsSpan(0, rows).ToArray(), [rows, 1], device: _model.Device);
        return nn.functional.mse_loss(output, expected);
    }

    private Tensor Targets(float[] labels, int rows)
    {
        var indices = new long[rows];
        for (var i = 0; i < rows; i++)
        {
            indices[i] = Array.BinarySearch(_classes!, (double)labels[i]);
        }

        return tensor(indices, device: _model.Device);
    }

    private static bool IsCpuContiguous(Tensor tensor) => tensor.device_type == DeviceType.CPU && tensor.is_contiguous();

    private static void Read(Tensor source, Span<float> target)
    {
        if (IsCpuContiguous(source))
        {
            MemoryMarshal.Cast<byte, float>(source.bytes).CopyTo(target);
            return;
        }

        using var cpu = source.detach().cpu().contiguous();
        MemoryMarshal.Cast<byte, float>(cpu.bytes).CopyTo(target);
    }

    private static void Write(TorchSharp.Modules.Parameter parameter, SpanAction update)
    {
        if (parameter.device_type == DeviceType.CPU && parameter.is_contiguous())
        {
            update(MemoryMarshal.Cast<byte, float>(parameter.bytes));
            return;
        }

        using var cpu = parameter.detach().cpu().contiguous();
        update(MemoryMarshal.Cast<byte, float>(cpu.bytes));
        using var noGrad = no_grad();
        parameter.copy_(cpu);
    }

    private delegate void SpanAction(Span<float> values);
}
