using System.Runtime.InteropServices;
using Google.Protobuf;

namespace OrleansML.Api.Grpc;

/// <summary>Raw tensor buffers between protobuf's <see cref="ByteString"/> and <see cref="Serving.TensorData"/> without per-element work.</summary>
internal static class GrpcBytes
{
    /// <summary>
    /// The bytes as an array: the parser's own array when the string is all of one (protobuf copies each bytes field
    /// out of the message into its own array), else one block copy.
    /// </summary>
    public static byte[] ToArray(ByteString bytes) =>
        MemoryMarshal.TryGetArray(bytes.Memory, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : bytes.ToByteArray();

    /// <summary>Wraps an output buffer for the response without copying it (outputs are never changed after the model wrote them).</summary>
    public static ByteString Wrap(byte[] data) => UnsafeByteOperations.UnsafeWrap(data);
}
