using Google.Protobuf;
using Grpc.Core;
using Inference;
using static OrleansML.Tests.Grpc.GrpcTensors;

namespace OrleansML.Tests.Grpc;

/// <summary>
/// A well-framed message whose bytes are not a protobuf of the method's request type is the caller's fault:
/// INVALID_ARGUMENT naming the type and protobuf's reason, on every kind of method, and the server answers a good
/// call right after.
/// </summary>
public sealed class GrpcUndecodableMessageTests(GrpcApiFixture api) : IClassFixture<GrpcApiFixture>
{
    public static TheoryData<string, string> Methods => new()
    {
        { "/inference.GRPCInferenceService/ModelInfer", "inference.ModelInferRequest" },
        { "/inference.GRPCInferenceService/ModelMetadata", "inference.ModelMetadataRequest" },
        { "/tensorflow.serving.PredictionService/Predict", "tensorflow.serving.PredictRequest" },
        { "/tensorflow.serving.PredictionService/GetModelMetadata", "tensorflow.serving.GetModelMetadataRequest" },
        { "/tensorflow.serving.ModelService/GetModelStatus", "tensorflow.serving.GetModelStatusRequest" },
    };

    private static readonly (string Case, byte[] Message, string Reason)[] Garbage =
    [
        // A tag varint whose every byte says "more follows", and the message ends.
        ("four 0xFF bytes", [0xFF, 0xFF, 0xFF, 0xFF], "ended unexpectedly"),
        // A tag varint longer than a varint can be.
        ("eleven 0xFF bytes", [.. Enumerable.Repeat((byte)0xFF, 11)], "malformed varint"),
        // Field 1 with wire type 7, which protobuf does not have.
        ("an invalid wire type", [0x0F, 0x01], "wire type"),
        // Field 1, length-delimited, announcing 5 bytes and carrying 1.
        ("a field longer than the message", [0x0A, 0x05, 0x61], "truncated"),
    ];

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task Bytes_that_are_not_the_request_type_are_INVALID_ARGUMENT_naming_it_and_the_server_keeps_serving(string route, string type)
    {
        foreach (var (name, message, reason) in Garbage)
        {
            var (status, detail) = await GrpcFrames.CallAsync(api.Client, route, GrpcFrames.Frame(message));
            Assert.True(status == ((int)StatusCode.InvalidArgument).ToString(), $"{route} [{name}]: grpc-status {status}: {detail}");
            Assert.NotNull(detail);
            Assert.True(detail.StartsWith($"the request is not a valid {type}: ", StringComparison.Ordinal), $"{route} [{name}]: {detail}");
            Assert.True(detail.Contains(reason, StringComparison.OrdinalIgnoreCase), $"{route} [{name}]: {detail}");

            var after = await new GRPCInferenceService.GRPCInferenceServiceClient(api.Channel).ModelInferAsync(Raw(GrpcApiFixture.Scripted, ("", [1, 6], Ones(6))));
            Assert.Equal(6, after.RawOutputContents[0].Length / 4);
        }
    }

    [Fact]
    public async Task A_valid_message_framed_by_hand_still_answers_OK()
    {
        var message = Raw(GrpcApiFixture.Scripted, ("", [1, 6], Ones(6)));
        var (status, detail) = await GrpcFrames.CallAsync(api.Client, "/inference.GRPCInferenceService/ModelInfer", GrpcFrames.Frame(message.ToByteArray()));
        Assert.True(status == "0", $"grpc-status {status}: {detail}");
    }
}
