using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using Inference;
using OrleansML.Tests.Infrastructure;
using static OrleansML.Tests.Grpc.GrpcTensors;

namespace OrleansML.Tests.Grpc;

/// <summary>
/// KServe V2 over gRPC with clients generated from the project's protos: every method, and the fixture models
/// answering with the values PyTorch computed and REST returns, through typed contents and raw contents.
/// </summary>
public sealed class GrpcInferenceServiceTests(GrpcApiFixture api) : IClassFixture<GrpcApiFixture>
{
    private GRPCInferenceService.GRPCInferenceServiceClient Client => new(api.Channel);

    [Fact]
    public async Task Server_is_live_ready_and_names_its_extensions()
    {
        Assert.True((await Client.ServerLiveAsync(new ServerLiveRequest())).Live);
        Assert.True((await Client.ServerReadyAsync(new ServerReadyRequest())).Ready);
        var metadata = await Client.ServerMetadataAsync(new ServerMetadataRequest());
        Assert.Equal("orleansml", metadata.Name);
        Assert.Contains("model_repository", metadata.Extensions);
        Assert.Contains("statistics", metadata.Extensions);
    }

    [Fact]
    public async Task Model_ready_and_metadata_describe_the_signature_as_REST_does()
    {
        Assert.True((await Client.ModelReadyAsync(new ModelReadyRequest { Name = GrpcApiFixture.Pair })).Ready);
        Assert.True((await Client.ModelReadyAsync(new ModelReadyRequest { Name = GrpcApiFixture.Pair, Version = "1" })).Ready);

        var metadata = await Client.ModelMetadataAsync(new ModelMetadataRequest { Name = GrpcApiFixture.Pair });
        var rest = await api.Client.GetFromJsonAsync<JsonElement>($"/v2/models/{GrpcApiFixture.Pair}");
        Assert.Equal(["1"], metadata.Versions);
        Assert.Equal(rest.GetProperty("platform").GetString(), metadata.Platform);
        Assert.Equal(["a", "b"], metadata.Inputs.Select(i => i.Name));
        Assert.Equal(["sum", "product"], metadata.Outputs.Select(o => o.Name));
        Assert.All(metadata.Inputs, i => Assert.Equal("FP32", i.Datatype));
        Assert.Equal([-1L, 6], metadata.Inputs[0].Shape);
    }

    [Theory]
    [InlineData(GrpcApiFixture.L1000, 1000)]
    [InlineData(GrpcApiFixture.Scripted, 6)]
    public async Task Fixture_models_answer_PyTorchs_values_through_typed_and_raw_contents_as_REST_does(string model, int width)
    {
        var expected = model == GrpcApiFixture.L1000 ? Fixtures.L1000OnesOutput : Fixtures.ScriptedOnesOutput;
        var input = (await Client.ModelMetadataAsync(new ModelMetadataRequest { Name = model })).Inputs[0].Name;

        var typed = await Client.ModelInferAsync(Typed(model, Fp32Input(input, [1, width], Ones(width))));
        Assert.Empty(typed.RawOutputContents);
        Assert.Equal([1L, expected.Length], typed.Outputs[0].Shape);
        Assert.Equal("FP32", typed.Outputs[0].Datatype);
        Fixtures.AssertClose(expected, Floats(typed.Outputs[0].Contents));

        var raw = await Client.ModelInferAsync(Raw(model, (input, [1, width], Ones(width))));
        Assert.Single(raw.RawOutputContents);
        Assert.Null(raw.Outputs[0].Contents);
        Fixtures.AssertClose(expected, Floats(raw.RawOutputContents[0]));

        var rest = await api.Client.PostAsJsonAsync($"/v2/models/{model}/infer",
            new { inputs = new[] { new { name = input, shape = new[] { 1, width }, datatype = "FP32", data = Ones(width) } } });
        var restValues = (await rest.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outputs")[0].GetProperty("data").EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();
        Assert.Equal(restValues, Floats(raw.RawOutputContents[0]).Select(v => (float)v));
        Assert.Equal(restValues, Floats(typed.Outputs[0].Contents).Select(v => (float)v));
        Assert.Equal(model, raw.ModelName);
        Assert.Equal("1", raw.ModelVersion);
    }

    [Fact]
    public async Task Several_inputs_and_outputs_come_back_named_and_only_the_requested_ones_when_asked()
    {
        float[] a = [1, 2, 3, 4, 5, 6, -1, -2, -3, -4, -5, -6];
        float[] b = [0.5f, 0.5f, 2, 2, -1, 10, 3, 3, 3, 3, 3, 3];
        var request = Raw(GrpcApiFixture.Pair, ("a", [2, 6], a), ("b", [2, 6], b));
        request.Id = "req-7";
        var both = await Client.ModelInferAsync(request);
        Assert.Equal("req-7", both.Id);
        Assert.Equal(["sum", "product"], both.Outputs.Select(o => o.Name));
        Assert.Equal(a.Zip(b, (x, y) => (double)(x + y)), Floats(both.RawOutputContents[0]));
        Assert.Equal(a.Zip(b, (x, y) => (double)(x * y)), Floats(both.RawOutputContents[1]));

        var typed = Typed(GrpcApiFixture.Pair, Fp32Input("a", [2, 6], a), Fp32Input("b", [2, 6], b));
        typed.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor { Name = "product" });
        var product = await Client.ModelInferAsync(typed);
        Assert.Equal("product", Assert.Single(product.Outputs).Name);
        Assert.Equal(a.Zip(b, (x, y) => (double)(x * y)), Floats(product.Outputs[0].Contents));
    }

    [Fact]
    public async Task Statistics_count_the_inferences_as_the_REST_extension_does()
    {
        await Client.ModelInferAsync(Raw(GrpcApiFixture.Scripted, ("", [1, 6], Ones(6))));
        var stats = await Client.ModelStatisticsAsync(new ModelStatisticsRequest { Name = GrpcApiFixture.Scripted, Version = "1" });
        var rest = (await api.Client.GetFromJsonAsync<JsonElement>($"/v2/models/{GrpcApiFixture.Scripted}/versions/1/stats")).GetProperty("model_stats")[0];

        var version = Assert.Single(stats.ModelStats);
        Assert.Equal(GrpcApiFixture.Scripted, version.Name);
        Assert.Equal("1", version.Version);
        Assert.True(version.InferenceCount >= 1);
        Assert.True(version.InferenceStats.Success.Count >= 1);
        Assert.Equal(rest.GetProperty("inference_count").GetInt64(), (long)version.InferenceCount);
        Assert.Contains((await Client.ModelStatisticsAsync(new ModelStatisticsRequest())).ModelStats, s => s.Name == GrpcApiFixture.Pair);
    }

    [Fact]
    public async Task Repository_index_lists_the_versions_and_load_and_unload_answer_for_the_model()
    {
        var index = await Client.RepositoryIndexAsync(new RepositoryIndexRequest { Ready = true });
        Assert.Contains(index.Models, m => m.Name == GrpcApiFixture.L1000 && m.Version == "1" && m.State == "READY");

        // Triton's layout (model_name in field 2) and KServe's (field 1) both name the model.
        var load = await Client.RepositoryModelLoadAsync(new RepositoryModelLoadRequest { ModelName = GrpcApiFixture.Scripted });
        Assert.True(load.IsLoaded);
        Assert.Equal(GrpcApiFixture.Scripted, load.ModelName);
        var kserve = await Client.RepositoryModelLoadAsync(new RepositoryModelLoadRequest { RepositoryName = GrpcApiFixture.Scripted });
        Assert.Equal(GrpcApiFixture.Scripted, kserve.ModelName);
        Assert.True((await Client.RepositoryModelUnloadAsync(new RepositoryModelUnloadRequest { ModelName = GrpcApiFixture.Scripted })).IsUnloaded);
    }

    [Fact]
    public async Task Health_answers_serving_and_reflection_lists_the_services()
    {
        var health = await new global::Grpc.Health.V1.Health.HealthClient(api.Channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);

        using var call = new ServerReflection.ServerReflectionClient(api.Channel).ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("inference.GRPCInferenceService", services);
        Assert.Contains("tensorflow.serving.PredictionService", services);
        Assert.Contains("tensorflow.serving.ModelService", services);
    }
}
