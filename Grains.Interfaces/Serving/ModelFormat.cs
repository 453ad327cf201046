namespace OrleansML.Serving;

/// <summary>How a version's artifact is stored and loaded.</summary>
[GenerateSerializer, Alias("OrleansML.Serving.ModelFormat")]
public enum ModelFormat
{
    /// <summary>A TorchScript archive saved by PyTorch's <c>torch.jit.save</c> (or by TorchSharp's).</summary>
    TorchScript,

    /// <summary>An <see cref="ArchitectureSpec"/> plus weights in TorchSharp's format.</summary>
    Native,

    /// <summary>An ONNX model (a protobuf <c>ModelProto</c>), served by ONNX Runtime: served and scored, not trained.</summary>
    Onnx,
}

/// <summary>A version's life cycle, as in TensorFlow Serving.</summary>
[GenerateSerializer, Alias("OrleansML.Serving.VersionState")]
public enum VersionState
{
    Loading,
    Available,
    Failed,
    Unloading,
}
