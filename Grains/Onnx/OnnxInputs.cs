using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using OrleansML.Serving;

namespace OrleansML.Onnx;

/// <summary>
/// A forward pass's inputs as OrtValues. A numeric input of one buffer (one request) is that buffer pinned, with
/// the OrtValue over its memory; a batch's buffers are joined once. BYTES elements become ONNX strings.
/// </summary>
public sealed class OnnxInputs : IDisposable
{
    private readonly List<GCHandle> _pins = [];
    private readonly OrtValue[] _values;

    public OnnxInputs(IReadOnlyList<RunnerInput> inputs)
    {
        _values = new OrtValue[inputs.Count];
        try
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                _values[i] = inputs[i].DataType == TensorDataType.Bytes ? Strings(inputs[i]) : Numeric(inputs[i]);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public IReadOnlyCollection<OrtValue> Values => _values;

    private OrtValue Numeric(RunnerInput input)
    {
        var buffer = input.Buffers.Count == 1 ? input.Buffers[0] : Join(input.Buffers);
        var pin = GCHandle.Alloc(buffer, GCHandleType.Pinned);
        _pins.Add(pin);
        return OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, OnnxTypes.ElementTypeOf(input.DataType), input.Shape,
            pin.AddrOfPinnedObject(), buffer.Length);
    }

    private static OrtValue Strings(RunnerInput input)
    {
        var value = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, input.Shape);
        var index = 0;
        foreach (var buffer in input.Buffers)
        {
            var span = buffer.AsSpan();
            while (span.Length >= 4)
            {
                var length = BinaryPrimitives.ReadInt32LittleEndian(span);
                value.StringTensorSetElementAt(span.Slice(4, length), index++);
                span = span[(4 + length)..];
            }
        }

        return value;
    }

    private static byte[] Join(IReadOnlyList<byte[]> buffers)
    {
        var joined = new byte[buffers.Sum(b => (long)b.Length)];
        var offset = 0;
        foreach (var buffer in buffers)
        {
            buffer.CopyTo(joined, offset);
            offset += buffer.Length;
        }

        return joined;
    }

    public void Dispose()
    {
        foreach (var value in _values)
        {
            value?.Dispose();
        }

        foreach (var pin in _pins)
        {
            pin.Free();
        }

        _pins.Clear();
    }
}
