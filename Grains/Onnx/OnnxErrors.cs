using Microsoft.ML.OnnxRuntime;

namespace OrleansML.Onnx;

/// <summary>ONNX Runtime's own words for why it refused, on one line.</summary>
public static class OnnxErrors
{
    public static string Reason(OnnxRuntimeException exception)
    {
        var line = exception.Message.Split('\n', 2)[0].Trim();
        return line.Length > 500 ? line[..500] : line;
    }
}
