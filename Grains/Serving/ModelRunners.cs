using OrleansML.Onnx;
using OrleansML.Torch;
using TorchSharp;

namespace OrleansML.Serving;

/// <summary>Loads a version's artifact into the engine its format needs.</summary>
public static class ModelRunners
{
    /// <summary>Throws <see cref="Errors.PlatformException"/> when the artifact does not load.</summary>
    public static IModelRunner Load(byte[] artifact, ModelVersionInfo version, torch.Device device, int onnxIntraOpThreads) =>
        version.Format == ModelFormat.Onnx
            ? OnnxRunner.Load(artifact, new OnnxSessionSettings(onnxIntraOpThreads, device.type == DeviceType.CUDA ? Math.Max(0, (int)device.index) : null))
            : new TorchRunner(ModelArtifacts.Load(artifact, version.Format, version.Architecture, device), version.Preprocessing);
}
