using OrleansML.Onnx;
using OrleansML.Torch;
using TorchSharp;

namespace OrleansML.Serving;

/// <summary>Loads a version's artifact into the engine its format needs.</summary>
public static class ModelRunners
{
    /// <summary>Throws <see cref="Errors.PlatformException"/> when the artifact does not load.</summary>
    /// <remarks><paramref name="onnxSession"/> has its intra-op threads resolved (<see cref="OnnxSessionSetup.ThreadsFor"/>).</remarks>
    public static IModelRunner Load(byte[] artifact, ModelVersionInfo version, torch.Device device, OnnxSessionSettings onnxSession) =>
        version.Format == ModelFormat.Onnx
            ? OnnxRunner.Load(artifact, new OnnxSessionSetup(onnxSession, device.type == DeviceType.CUDA ? Math.Max(0, (int)device.index) : null))
            : new TorchRunner(ModelArtifacts.Load(artifact, version.Format, version.Architecture, device), version.Preprocessing);
}
