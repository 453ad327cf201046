using Google.Protobuf;
using Grpc.Core;
using Inference;
using Tensorflow;
using Tensorflow.Serving;
using static OrleansML.Tests.Grpc.GrpcTensors;

namespace OrleansML.Tests.Grpc;

/// <summary>
/// Each malformed call gets its own gRPC status with a message naming the problem, never INTERNAL or UNKNOWN, and
/// the server answers a good call right after it.
/// </summary>
public sealed class GrpcBadInputTests(GrpcApiFixture api) : IClassFixture<GrpcApiFixture>
{
    private GRPCInferenceService.GRPCInferenceServiceClient Client => new(api.Channel);

    private PredictionService.PredictionServiceClient Predictions => new(api.Channel);

    [Fact]
    public Task Unknown_model_is_NOT_FOUND() =>
        RefusedAsync(StatusCode.NotFound, "'no-such-model' not found", () => Client.ModelInferAsync(Raw("no-such-model", ("x", [1, 6], Ones(6)))).ResponseAsync);

    [Fact]
    public async Task Unknown_version_is_NOT_FOUND_on_every_method_that_takes_one()
    {
        var request = Raw(GrpcApiFixture.Scripted, ("", [1, 6], Ones(6)));
        request.ModelVersion = "9";
        await RefusedAsync(StatusCode.NotFound, "version 9", () => Client.ModelInferAsync(request).ResponseAsync);
        await RefusedAsync(StatusCode.NotFound, "version 9", () => Client.ModelReadyAsync(new ModelReadyRequest { Name = GrpcApiFixture.Scripted, Version = "9" }).ResponseAsync);
        await RefusedAsync(StatusCode.NotFound, "version 9", () => Client.ModelMetadataAsync(new ModelMetadataRequest { Name = GrpcApiFixture.Scripted, Version = "9" }).ResponseAsync);
        await RefusedAsync(StatusCode.NotFound, "version 9", () => Client.ModelStatisticsAsync(new ModelStatisticsRequest { Name = GrpcApiFixture.Scripted, Version = "9" }).ResponseAsync);
        await RefusedAsync(StatusCode.NotFound, "version 9", () => Predictions.PredictAsync(new PredictRequest
        {
            ModelSpec = new ModelSpec { Name = GrpcApiFixture.Scripted, Version = 9 },
            Inputs = { ["input"] = FloatTensor([1, 6], Ones(6), content: true) },
        }).ResponseAsync);
        await RefusedAsync(StatusCode.NotFound, "version 9", () => new ModelService.ModelServiceClient(api.Channel)
            .GetModelStatusAsync(new GetModelStatusRequest { ModelSpec = new ModelSpec { Name = GrpcApiFixture.Scripted, Version = 9 } }).ResponseAsync);
    }

    [Fact]
    public async Task Wrong_or_unknown_datatype_is_INVALID_ARGUMENT()
    {
        var unknown = Raw(GrpcApiFixture.Scripted, ("", [1, 6], Ones(6)));
        unknown.Inputs[0].Datatype = "FP31";
        await RefusedAsync(StatusCode.InvalidArgument, "'FP31'", () => Client.ModelInferAsync(unknown).ResponseAsync);

        var bytes = Typed(GrpcApiFixture.Scripted, new ModelInferRequest.Types.InferInputTensor
        {
            Name = "input", Datatype = "BYTES", Shape = { 1, 6 },
            Contents = new InferTensorContents { BytesContents = { Enumerable.Range(0, 6).Select(_ => ByteString.CopyFromUtf8("x")) } },
        });
        await RefusedAsync(StatusCode.InvalidArgument, "datatype BYTES", () => Client.ModelInferAsync(bytes).ResponseAsync);

        await RefusedAsync(StatusCode.InvalidArgument, "DT_COMPLEX64", () => Predictions.PredictAsync(new PredictRequest
        {
            ModelSpec = new ModelSpec { Name = GrpcApiFixture.Scripted },
            Inputs = { ["input"] = new TensorProto { Dtype = DataType.DtComplex64, TensorShape = Shape([1, 6]) } },
        }).ResponseAsync);
    }

    [Fact]
    public async Task Typed_contents_of_another_datatypes_field_are_INVALID_ARGUMENT()
    {
        var request = Typed(GrpcApiFixture.Scripted, new ModelInferRequest.Types.InferInputTensor
        {
            Name = "input", Datatype = "FP32", Shape = { 1, 6 }, Contents = new InferTensorContents { Int64Contents = { 1, 1, 1, 1, 1, 1 } },
        });
        await RefusedAsync(StatusCode.InvalidArgument, "int64_contents", () => Client.ModelInferAsync(request).ResponseAsync);
    }

    [Fact]
    public async Task Shape_disagreeing_with_typed_contents_is_INVALID_ARGUMENT()
    {
        await RefusedAsync(StatusCode.InvalidArgument, "fp32_contents hold 5", () =>
            Client.ModelInferAsync(Typed(GrpcApiFixture.Scripted, Fp32Input("input", [1, 6], Ones(5)))).ResponseAsync);
        await RefusedAsync(StatusCode.InvalidArgument, "float_val holds 5", () => Predictions.PredictAsync(new PredictRequest
        {
            ModelSpec = new ModelSpec { Name = GrpcApiFixture.Scripted },
            Inputs = { ["input"] = FloatTensor([1, 6], Ones(5), content: false) },
        }).ResponseAsync);
    }

    [Fact]
    public async Task Raw_bytes_that_are_not_shape_times_element_size_are_INVALID_ARGUMENT()
    {
        var request = Raw(GrpcApiFixture.Scripted, ("input", [1, 6], Ones(6)));
        request.RawInputContents[0] = ByteString.CopyFrom(new byte[23]);
        await RefusedAsync(StatusCode.InvalidArgument, "raw_input_contents hold 23 bytes", () => Client.ModelInferAsync(request).ResponseAsync);

        var tensor = FloatTensor([1, 6], Ones(6), content: true);
        tensor.TensorContent = ByteString.CopyFrom(new byte[20]);
        await RefusedAsync(StatusCode.InvalidArgument, "tensor_content holds 20 bytes", () => Predictions.PredictAsync(new PredictRequest
        {
            ModelSpec = new ModelSpec { Name = GrpcApiFixture.Scripted },
            Inputs = { ["input"] = tensor },
        }).ResponseAsync);
    }

    [Fact]
    public async Task Shape_the_model_does_not_take_is_INVALID_ARGUMENT_naming_the_expected_shape() =>
        await RefusedAsync(StatusCode.InvalidArgument, "expected shape", () =>
            Client.ModelInferAsync(Raw(GrpcApiFixture.Scripted, ("input", [1, 5], Ones(5)))).ResponseAsync);

    [Fact]
    public async Task Both_typed_and_raw_contents_for_one_input_are_INVALID_ARGUMENT()
    {
        var request = Raw(GrpcApiFixture.Scripted, ("input", [1, 6], Ones(6)));
        request.Inputs[0].Contents = new InferTensorContents { Fp32Contents = { Ones(6) } };
        await RefusedAsync(StatusCode.InvalidArgument, "both typed contents and raw_input_contents", () => Client.ModelInferAsync(request).ResponseAsync);

        var tensor = FloatTensor([1, 6], Ones(6), content: true);
        tensor.FloatVal.Add(Ones(6));
        await RefusedAsync(StatusCode.InvalidArgument, "both tensor_content and float_val", () => Predictions.PredictAsync(new PredictRequest
        {
            ModelSpec = new ModelSpec { Name = GrpcApiFixture.Scripted },
            Inputs = { ["input"] = tensor },
        }).ResponseAsync);
    }

    [Fact]
    public async Task Missing_or_unknown_input_is_INVALID_ARGUMENT_naming_it()
    {
        await RefusedAsync(StatusCode.InvalidArgument, "input 'b' is missing", () =>
            Client.ModelInferAsync(Raw(GrpcApiFixture.Pair, ("a", [1, 6], Ones(6)))).ResponseAsync);
        await RefusedAsync(StatusCode.InvalidArgument, "input 'c' is not an input", () =>
            Client.ModelInferAsync(Raw(GrpcApiFixture.Pair, ("a", [1, 6], Ones(6)), ("b", [1, 6], Ones(6)), ("c", [1, 6], Ones(6)))).ResponseAsync);
        await RefusedAsync(StatusCode.InvalidArgument, "no inputs", () => Client.ModelInferAsync(new ModelInferRequest { ModelName = GrpcApiFixture.Pair }).ResponseAsync);
        await RefusedAsync(StatusCode.InvalidArgument, "input 'x' is not an input", () => Predictions.PredictAsync(new PredictRequest
        {
            ModelSpec = new ModelSpec { Name = GrpcApiFixture.Pair },
            Inputs = { ["a"] = FloatTensor([1, 6], Ones(6), true), ["x"] = FloatTensor([1, 6], Ones(6), true) },
        }).ResponseAsync);
    }

    [Fact]
    public async Task Unknown_requested_output_is_INVALID_ARGUMENT_naming_it()
    {
        var request = Raw(GrpcApiFixture.Pair, ("a", [1, 6], Ones(6)), ("b", [1, 6], Ones(6)));
        request.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor { Name = "quotient" });
        await RefusedAsync(StatusCode.InvalidArgument, "'quotient' is not an output", () => Client.ModelInferAsync(request).ResponseAsync);
        await RefusedAsync(StatusCode.InvalidArgument, "'quotient' is not an output", () => Predictions.PredictAsync(new PredictRequest
        {
            ModelSpec = new ModelSpec { Name = GrpcApiFixture.Pair },
            Inputs = { ["a"] = FloatTensor([1, 6], Ones(6), true), ["b"] = FloatTensor([1, 6], Ones(6), true) },
            OutputFilter = { "quotient" },
        }).ResponseAsync);
    }

    [Fact]
    public async Task Message_over_the_predict_limit_is_RESOURCE_EXHAUSTED()
    {
        var width = (int)(GrpcApiFixture.MaxPredictBytes / 4) + 16;
        await RefusedAsync(StatusCode.ResourceExhausted, "maximum", () =>
            Client.ModelInferAsync(Raw(GrpcApiFixture.Scripted, ("input", [1, width], Ones(width)))).ResponseAsync);
    }

    [Fact]
    public async Task Declared_size_over_the_element_limit_is_INVALID_ARGUMENT_before_anything_is_allocated()
    {
        var request = Raw(GrpcApiFixture.Scripted, ("input", [1, 6], Ones(6)));
        request.Inputs[0].Shape[1] = 1L << 40;
        await RefusedAsync(StatusCode.InvalidArgument, "over the limit", () => Client.ModelInferAsync(request).ResponseAsync);
    }

    [Fact]
    public async Task Unknown_signature_or_metadata_field_is_INVALID_ARGUMENT()
    {
        await RefusedAsync(StatusCode.InvalidArgument, "signature 'classify'", () => Predictions.PredictAsync(new PredictRequest
        {
            ModelSpec = new ModelSpec { Name = GrpcApiFixture.Scripted, SignatureName = "classify" },
            Inputs = { ["input"] = FloatTensor([1, 6], Ones(6), true) },
        }).ResponseAsync);
        await RefusedAsync(StatusCode.InvalidArgument, "'graph_def'", () => Predictions.GetModelMetadataAsync(new GetModelMetadataRequest
        {
            ModelSpec = new ModelSpec { Name = GrpcApiFixture.Scripted },
            MetadataField = { "graph_def" },
        }).ResponseAsync);
    }

    private async Task RefusedAsync<T>(StatusCode expected, string mentions, Func<Task<T>> call)
    {
        var refusal = await Assert.ThrowsAsync<RpcException>(call);
        Assert.True(expected == refusal.StatusCode, $"expected {expected}, got {refusal.StatusCode}: {refusal.Status.Detail}");
        Assert.Contains(mentions, refusal.Status.Detail, StringComparison.Ordinal);
        var after = await Client.ModelInferAsync(Raw(GrpcApiFixture.Scripted, ("", [1, 6], Ones(6))));
        Assert.Equal(6, after.RawOutputContents[0].Length / 4);
    }
}
