using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using HealthClient = Grpc.Health.V1.Health.HealthClient;
using Grpc.Net.Client;
using Grpc.Reflection.V1Alpha;
using Inference;
using OrleansML.Api.Security;
using Tensorflow.Serving;
using static OrleansML.Tests.Grpc.GrpcTensors;

namespace OrleansML.Tests.Security;

/// <summary>
/// The gRPC section of the matrix: every gRPC method the API maps (its route is <c>/package.Service/Method</c>), the
/// scope it requires (null: anonymous) and a call that succeeds with that scope over the fixture's state.
/// </summary>
public static class GrpcAuthorizationMatrix
{
    public sealed record Cell(string Pattern, string? Scope, Func<GrpcChannel, Metadata, Task> Call)
    {
        /// <summary>As the HTTP matrix names endpoints: gRPC calls are POSTs to the method's path; "*" for the catch-alls.</summary>
        public string Endpoint => $"{Method} {Pattern}";

        public string Method { get; init; } = "POST";

        /// <summary>The answer a call with the right scope gets: OK, or UNIMPLEMENTED for a method nobody serves.</summary>
        public StatusCode Success { get; init; } = StatusCode.OK;
    }

    private const string Inference = "/inference.GRPCInferenceService/";

    // Reflection v1 has the v1alpha messages under another service name.
    private static readonly Method<ServerReflectionRequest, ServerReflectionResponse> ReflectionV1 = new(
        MethodType.DuplexStreaming, "grpc.reflection.v1.ServerReflection", "ServerReflectionInfo",
        Marshallers.Create(r => r.ToByteArray(), ServerReflectionRequest.Parser.ParseFrom),
        Marshallers.Create(r => r.ToByteArray(), ServerReflectionResponse.Parser.ParseFrom));

    public static readonly Cell[] Cells =
    [
        new(Inference + "ServerLive", null, (c, m) => V2(c).ServerLiveAsync(new ServerLiveRequest(), m).ResponseAsync),
        new(Inference + "ServerReady", null, (c, m) => V2(c).ServerReadyAsync(new ServerReadyRequest(), m).ResponseAsync),
        new(Inference + "ServerMetadata", Scopes.Predict, (c, m) => V2(c).ServerMetadataAsync(new ServerMetadataRequest(), m).ResponseAsync),
        new(Inference + "ModelReady", Scopes.Predict, (c, m) => V2(c).ModelReadyAsync(new ModelReadyRequest { Name = "m" }, m).ResponseAsync),
        new(Inference + "ModelMetadata", Scopes.Predict, (c, m) => V2(c).ModelMetadataAsync(new ModelMetadataRequest { Name = "m" }, m).ResponseAsync),
        new(Inference + "ModelInfer", Scopes.Predict, (c, m) => V2(c).ModelInferAsync(Raw("m", ("input", [1, 4], [1, 2, 3, 4])), m).ResponseAsync),
        new(Inference + "ModelStatistics", Scopes.Predict, (c, m) => V2(c).ModelStatisticsAsync(new ModelStatisticsRequest { Name = "m" }, m).ResponseAsync),
        new(Inference + "RepositoryIndex", Scopes.Predict, (c, m) => V2(c).RepositoryIndexAsync(new RepositoryIndexRequest(), m).ResponseAsync),
        new(Inference + "RepositoryModelLoad", Scopes.Admin, (c, m) => V2(c).RepositoryModelLoadAsync(new RepositoryModelLoadRequest { ModelName = "m" }, m).ResponseAsync),
        new(Inference + "RepositoryModelUnload", Scopes.Admin, (c, m) => V2(c).RepositoryModelUnloadAsync(new RepositoryModelUnloadRequest { ModelName = "m" }, m).ResponseAsync),
        new("/tensorflow.serving.PredictionService/Predict", Scopes.Predict, (c, m) => new PredictionService.PredictionServiceClient(c).PredictAsync(new PredictRequest
        {
            ModelSpec = new ModelSpec { Name = "m" },
            Inputs = { ["input"] = FloatTensor([1, 4], [1, 2, 3, 4], content: true) },
        }, m).ResponseAsync),
        new("/tensorflow.serving.PredictionService/GetModelMetadata", Scopes.Predict, (c, m) => new PredictionService.PredictionServiceClient(c)
            .GetModelMetadataAsync(new GetModelMetadataRequest { ModelSpec = new ModelSpec { Name = "m" }, MetadataField = { "signature_def" } }, m).ResponseAsync),
        new("/tensorflow.serving.ModelService/GetModelStatus", Scopes.Predict, (c, m) => new ModelService.ModelServiceClient(c)
            .GetModelStatusAsync(new GetModelStatusRequest { ModelSpec = new ModelSpec { Name = "m" } }, m).ResponseAsync),

        // Health is anonymous, as /health is; reflection describes the services, as the anonymous OpenAPI document does.
        new("/grpc.health.v1.Health/Check", null, (c, m) => new HealthClient(c).CheckAsync(new HealthCheckRequest(), m).ResponseAsync),
        new("/grpc.health.v1.Health/Watch", null, async (c, m) =>
        {
            using var watch = new HealthClient(c).Watch(new HealthCheckRequest(), m);
            await watch.ResponseStream.MoveNext(CancellationToken.None);
        }),
        new("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", null, async (c, m) =>
        {
            using var call = new ServerReflection.ServerReflectionClient(c).ServerReflectionInfo(m);
            await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
            await call.RequestStream.CompleteAsync();
            await call.ResponseStream.MoveNext(CancellationToken.None);
        }),
        new("/grpc.reflection.v1.ServerReflection/ServerReflectionInfo", null, async (c, m) =>
        {
            using var call = c.CreateCallInvoker().AsyncDuplexStreamingCall(ReflectionV1, null, new CallOptions(m));
            await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
            await call.RequestStream.CompleteAsync();
            await call.ResponseStream.MoveNext(CancellationToken.None);
        }),

        // Grpc.AspNetCore answers methods nobody serves UNIMPLEMENTED; those of the platform's services name no policy, so
        // the admin fallback guards them; those of health and reflection share their service's anonymous access.
        Unimplemented("{unimplementedService}/{unimplementedMethod:grpcunimplemented}", "/no.such.Service/Call"),
        Unimplemented("inference.GRPCInferenceService/{unimplementedMethod:grpcunimplemented}", "/inference.GRPCInferenceService/ModelStreamInfer"),
        Unimplemented("tensorflow.serving.PredictionService/{unimplementedMethod:grpcunimplemented}", "/tensorflow.serving.PredictionService/Classify"),
        Unimplemented("tensorflow.serving.ModelService/{unimplementedMethod:grpcunimplemented}", "/tensorflow.serving.ModelService/HandleReloadConfigRequest"),
        Unimplemented("grpc.health.v1.Health/{unimplementedMethod:grpcunimplemented}", "/grpc.health.v1.Health/Nope", scope: null),
        Unimplemented("grpc.reflection.v1alpha.ServerReflection/{unimplementedMethod:grpcunimplemented}", "/grpc.reflection.v1alpha.ServerReflection/Nope", scope: null),
        Unimplemented("grpc.reflection.v1.ServerReflection/{unimplementedMethod:grpcunimplemented}", "/grpc.reflection.v1.ServerReflection/Nope", scope: null),
    ];

    private static Cell Unimplemented(string pattern, string path, string? scope = Scopes.Admin)
    {
        var slash = path.LastIndexOf('/');
        var method = new Method<byte[], byte[]>(MethodType.Unary, path[1..slash], path[(slash + 1)..], Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b));
        return new(pattern, scope, (c, m) => c.CreateCallInvoker().AsyncUnaryCall(method, null, new CallOptions(m), []).ResponseAsync)
        {
            Method = "*",
            Success = StatusCode.Unimplemented,
        };
    }

    public static IEnumerable<object[]> Protected(string credential) =>
        Cells.Where(c => c.Scope is not null).Select(c => new object[] { c.Endpoint, credential });

    public static IEnumerable<object[]> Open() => Cells.Where(c => c.Scope is null).Select(c => new object[] { c.Endpoint });

    public static Cell Find(string endpoint) => Cells.Single(c => c.Endpoint == endpoint);

    private static GRPCInferenceService.GRPCInferenceServiceClient V2(GrpcChannel channel) => new(channel);
}
