using Grpc.Net.Client;
using Inference;
using OrleansML.Tests.Api;
using OrleansML.Tests.Infrastructure;
using Tensorflow.Serving;
using static OrleansML.Tests.Grpc.GrpcTensors;

namespace OrleansML.Tests.ClusterMode;

/// <summary>In cluster mode the Api process is an Orleans client: its gRPC front ends reach the model on the silo processes.</summary>
[Collection(ProcessClusterCollection.Name)]
public sealed class GrpcClusterModeTests(ProcessClusterFixture fixture)
{
    [Fact]
    public async Task A_model_on_the_silos_answers_over_KServe_and_TF_Serving_gRPC_with_PyTorchs_values()
    {
        var upload = await ApiFixture.UploadAsync(fixture.Api, "grpc-cluster", File.ReadAllBytes(Fixtures.Scripted));
        Assert.True(upload.IsSuccessStatusCode, await upload.Content.ReadAsStringAsync());
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{fixture.ApiProcess!.GrpcPort}");

        var v2 = await new GRPCInferenceService.GRPCInferenceServiceClient(channel).ModelInferAsync(Raw("grpc-cluster", ("", [1, 6], Ones(6))));
        Fixtures.AssertClose(Fixtures.ScriptedOnesOutput, Floats(v2.RawOutputContents[0]));

        var tf = await new PredictionService.PredictionServiceClient(channel).PredictAsync(new PredictRequest
        {
            ModelSpec = new ModelSpec { Name = "grpc-cluster" },
            Inputs = { ["input"] = FloatTensor([1, 6], Ones(6), content: false) },
        });
        Fixtures.AssertClose(Fixtures.ScriptedOnesOutput, Floats(tf.Outputs.Values.Single()));
    }
}
