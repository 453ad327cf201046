using Google.Protobuf;
using Inference;
using OrleansML.Tests.Api;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Grpc;

/// <summary>The ONNX project's backend test models answer their reference outputs through V2 gRPC with raw contents, as over REST.</summary>
public sealed class GrpcOnnxTests(GrpcApiFixture api) : IClassFixture<GrpcApiFixture>
{
    private GRPCInferenceService.GRPCInferenceServiceClient Client => new(api.Channel);

    [Theory]
    [MemberData(nameof(OnnxFixtures.All), MemberType = typeof(OnnxFixtures))]
    public async Task Every_backend_fixture_answers_its_reference_outputs_through_V2_gRPC_raw_contents(string fixture)
    {
        var model = $"grpc-onnx-{fixture.Replace('_', '-')}";
        var upload = await ApiFixture.UploadAsync(api.Client, model, OnnxFixtures.Model(fixture));
        Assert.True(upload.IsSuccessStatusCode, await upload.Content.ReadAsStringAsync());
        var request = new ModelInferRequest { ModelName = model };
        foreach (var input in OnnxFixtures.Inputs(fixture))
        {
            request.Inputs.Add(new ModelInferRequest.Types.InferInputTensor
            {
                Name = input.GetProperty("name").GetString()!,
                Datatype = OnnxFixtures.Datatype(input),
                Shape = { OnnxFixtures.Shape(input) },
            });
            request.RawInputContents.Add(ByteString.CopyFrom(OnnxFixtures.Bytes(input)));
        }

        var response = await Client.ModelInferAsync(request);

        foreach (var expected in OnnxFixtures.Outputs(fixture))
        {
            var index = response.Outputs.ToList().FindIndex(o => o.Name == expected.GetProperty("name").GetString());
            Assert.True(index >= 0, $"no output {expected.GetProperty("name").GetString()}");
            var output = response.Outputs[index];
            OnnxFixtures.AssertMatches(expected, output.Datatype, output.Shape.ToArray(), OnnxFixtures.Decode(output.Datatype, response.RawOutputContents[index].ToByteArray()));
        }
    }
}
