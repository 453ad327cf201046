using System.Runtime.CompilerServices;
using OrleansML.Errors;
using OrleansML.Serving;
using static TorchSharp.torch;

namespace OrleansML.Torch;

/// <summary>
/// <see cref="TensorData"/> ⇄ torch tensors by one block copy each way: both are row-major and little-endian, so a
/// V2 buffer is the tensor's native memory as it is.
/// </summary>
public static class TorchTensors
{
    /// <summary>The torch element type of a V2 datatype; refused for the types libtorch has no tensors of.</summary>
    public static ScalarType ScalarTypeOf(TensorDataType type) => type switch
    {
        TensorDataType.Bool => ScalarType.Bool,
        TensorDataType.UInt8 => ScalarType.Byte,
        TensorDataType.Int8 => ScalarType.Int8,
        TensorDataType.Int16 => ScalarType.Int16,
        TensorDataType.Int32 => ScalarType.Int32,
        TensorDataType.Int64 => ScalarType.Int64,
        TensorDataType.FP16 => ScalarType.Float16,
        TensorDataType.BF16 => ScalarType.BFloat16,
        TensorDataType.FP32 => ScalarType.Float32,
        TensorDataType.FP64 => ScalarType.Float64,
        _ => throw PlatformException.Invalid($"TorchScript and native models take numeric tensors of BOOL, UINT8, INT8, INT16, INT32, INT64, FP16, BF16, FP32 or FP64; {type.Name()} has no torch type."),
    };

    public static TensorDataType DataTypeOf(ScalarType type) => type switch
    {
        ScalarType.Bool => TensorDataType.Bool,
        ScalarType.Byte => TensorDataType.UInt8,
        ScalarType.Int8 => TensorDataType.Int8,
        ScalarType.Int16 => TensorDataType.Int16,
        ScalarType.Int32 => TensorDataType.Int32,
        ScalarType.Int64 => TensorDataType.Int64,
        ScalarType.Float16 => TensorDataType.FP16,
        ScalarType.BFloat16 => TensorDataType.BF16,
        ScalarType.Float32 => TensorDataType.FP32,
        ScalarType.Float64 => TensorDataType.FP64,
        _ => throw PlatformException.Invalid($"the model returned a {type} tensor, which has no V2 datatype."),
    };

    /// <summary>A CPU tensor of <paramref name="shape"/> holding the concatenated buffers (one request's, or a batch's rows).</summary>
    public static Tensor ToTorch(TensorDataType type, long[] shape, IReadOnlyList<byte[]> buffers)
    {
        var tensor = empty(shape, ScalarTypeOf(type));
        var target = tensor.bytes;
        var offset = 0;
        foreach (var buffer in buffers)
        {
            buffer.CopyTo(target[offset..]);
            offset += buffer.Length;
        }

        return tensor;
    }

    /// <summary>The values of a tensor (any device) as row-major little-endian bytes.</summary>
    public static byte[] Bytes(Tensor tensor)
    {
        using var cpu = tensor.cpu().contiguous();
        return cpu.bytes.ToArray();
    }

    /// <summary>
    /// What a forward pass returned, as its output tensors: a tensor, a list of tensors, or a tuple of tensors.
    /// TorchSharp 0.107 cannot return a TorchScript dict to .NET, so a model that returns one is refused.
    /// </summary>
    public static Tensor[] Outputs(object? result) => result switch
    {
        Tensor tensor => [tensor],
        Tensor[] tensors => tensors,
        ITuple tuple when Enumerable.Range(0, tuple.Length).All(i => tuple[i] is Tensor) =>
            Enumerable.Range(0, tuple.Length).Select(i => (Tensor)tuple[i]!).ToArray(),
        _ => throw PlatformException.Invalid($"the model returned {result?.GetType().Name ?? "nothing"}; OrleansML serves models whose forward returns a tensor, or a tuple or list of tensors."),
    };
}
