using OrleansML.Errors;
using OrleansML.Onnx;
using OrleansML.Serving;
using TorchSharp;
using static TorchSharp.torch;

namespace OrleansML.Torch;

/// <summary>Reads and writes model artifacts: TorchScript archives and native weights.</summary>
public static class ModelArtifacts
{
    /// <summary>
    /// Detects the format from the bytes: a file that starts like a zip archive is taken as TorchScript (what
    /// <c>torch.jit.save</c> writes), one whose top level walks as an ONNX ModelProto as ONNX (also one that starts
    /// like ONNX but is broken, unless it is native weights, so the refusal names what is wrong with the ONNX
    /// file), anything else as native weights. <see cref="ArtifactFormat.Check"/> then checks that it is.
    /// </summary>
    public static ModelFormat DetectFormat(byte[] artifact) =>
        ArtifactFormat.StartsLikeZip(artifact) ? ModelFormat.TorchScript
        : OnnxFormat.Problem(artifact) is null ? ModelFormat.Onnx
        : OnnxFormat.StartsLikeModel(artifact) && NativeWeights.Problem(artifact) is not null ? ModelFormat.Onnx
        : ModelFormat.Native;

    /// <summary>Loads an artifact onto <paramref name="device"/> in eval mode. Throws <see cref="PlatformException"/> when it is not a model.</summary>
    public static TorchModel Load(byte[] artifact, ModelFormat format, ArchitectureSpec? architecture, Device device)
    {
        try
        {
            if (format == ModelFormat.TorchScript)
            {
                var script = jit.load(artifact, device);
                script.eval();
                return new TorchModel(script, inputs => script.call(inputs), device, format);
            }

            if (architecture is null)
            {
                throw PlatformException.Invalid("native weights need an architecture spec.");
            }

            var module = ArchitectureBuilder.Build(architecture);
            module.load(new MemoryStream(artifact));
            module.to(device);
            module.eval();
            return new TorchModel(module, inputs => module.call(inputs[0]), device, format);
        }
        catch (PlatformException)
        {
            throw;
        }
        catch (Exception exception)
        {
            throw PlatformException.Invalid($"the artifact is not a loadable {format} model: {FirstLine(exception.Message)}");
        }
    }

    /// <summary>Writes a module's weights in TorchSharp's format (the native artifact).</summary>
    public static byte[] SaveNative(nn.Module module)
    {
        var stream = new MemoryStream();
        module.save(stream);
        return stream.ToArray();
    }

    /// <summary>Writes a TorchScript module (for example one fine-tuned here) as a TorchScript archive.</summary>
    public static byte[] SaveTorchScript(jit.ScriptModule module)
    {
        var path = Path.Combine(Path.GetTempPath(), $"orleansml-{Guid.NewGuid():N}.pt");
        try
        {
            jit.save(module, path);
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// Infers a TorchScript model's signature from its parameters: the input width from the first 2-D weight, the
    /// output width from the last. Null when the model has no 2-D weight to read.
    /// </summary>
    public static ModelSignature? InferSignature(nn.Module module)
    {
        var weights = module.named_parameters().Where(p => p.parameter.dim() == 2).Select(p => p.parameter.shape).ToList();
        if (weights.Count == 0)
        {
            return null;
        }

        return new ModelSignature(
            [new TensorSpec("input", TensorDataType.FP32, [-1, weights[0][1]])],
            [new TensorSpec("output", TensorDataType.FP32, [-1, weights[^1][0]])]);
    }

    public static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.Length > 300 ? line[..300] : line;
    }
}
