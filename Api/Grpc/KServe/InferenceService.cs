using System.Globalization;
using Grpc.Core;
using Inference;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OrleansML.Api.Http;
using OrleansML.Api.KServe;
using OrleansML.Api.Models;
using OrleansML.Api.Security;
using OrleansML.Serving;

namespace OrleansML.Api.Grpc.KServe;

/// <summary>
/// KServe V2 / Open Inference Protocol over gRPC (<c>inference.GRPCInferenceService</c>), with Triton's repository
/// and statistics extensions: the same use cases, scopes and refusals as the REST front end in <c>/v2</c>.
/// </summary>
[Authorize(Scopes.Predict)]
internal sealed class InferenceService(ISender sender, HealthCheckService health, IOptions<ApiLimits> limits) : GRPCInferenceService.GRPCInferenceServiceBase
{
    [AllowAnonymous]
    public override Task<ServerLiveResponse> ServerLive(ServerLiveRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerLiveResponse { Live = true });

    [AllowAnonymous]
    public override async Task<ServerReadyResponse> ServerReady(ServerReadyRequest request, ServerCallContext context)
    {
        var report = await health.CheckHealthAsync(r => r.Tags.Contains(Microsoft.Extensions.Hosting.Extensions.ReadyTag), context.CancellationToken);
        return new ServerReadyResponse { Ready = report.Status == HealthStatus.Healthy };
    }

    public override Task<ServerMetadataResponse> ServerMetadata(ServerMetadataRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerMetadataResponse { Name = "orleansml", Version = KServeEndpoints.ServerVersion, Extensions = { "model_repository", "statistics" } });

    public override async Task<ModelReadyResponse> ModelReady(ModelReadyRequest request, ServerCallContext context)
    {
        var (_, version) = await KServeEndpoints.FindAsync(sender, request.Name, Version(request.Version), context.CancellationToken);
        return new ModelReadyResponse { Ready = version.State == VersionState.Available };
    }

    public override async Task<ModelMetadataResponse> ModelMetadata(ModelMetadataRequest request, ServerCallContext context)
    {
        var (model, version) = await KServeEndpoints.FindAsync(sender, request.Name, Version(request.Version), context.CancellationToken);
        var metadata = Api.KServe.ModelMetadata.From(model, version);
        var response = new ModelMetadataResponse { Name = metadata.Name, Platform = metadata.Platform, Versions = { metadata.Versions } };
        response.Inputs.Add(metadata.Inputs.Select(Tensor));
        response.Outputs.Add(metadata.Outputs.Select(Tensor));
        return response;
    }

    public override async Task<ModelInferResponse> ModelInfer(ModelInferRequest request, ServerCallContext context)
    {
        var inputs = InferInputReader.Read(request, limits.Value);
        var number = Version(request.ModelVersion) is { } version ? KServeEndpoints.ParseVersion(request.ModelName, version) : (int?)null;
        var outputs = request.Outputs.Count > 0 ? request.Outputs.Select(o => o.Name).ToArray() : null;
        var prediction = await sender.Send(new Predict(request.ModelName, inputs, number, Outputs: outputs), context.CancellationToken);
        return InferOutputWriter.Write(prediction, request.Id, InferOutputWriter.WantsRaw(request, prediction));
    }

    public override async Task<ModelStatisticsResponse> ModelStatistics(ModelStatisticsRequest request, ServerCallContext context)
    {
        var model = request.Name.Length == 0 ? null : request.Name;
        var number = model is not null && Version(request.Version) is { } version ? KServeEndpoints.ParseVersion(model, version) : (int?)null;
        var statistics = await sender.Send(new GetModelStatistics(model, number), context.CancellationToken);
        return new ModelStatisticsResponse { ModelStats = { statistics.Select(StatisticsMessages.From) } };
    }

    public override async Task<RepositoryIndexResponse> RepositoryIndex(RepositoryIndexRequest request, ServerCallContext context)
    {
        var models = await sender.Send(new ListModels(), context.CancellationToken);
        var response = new RepositoryIndexResponse();
        response.Models.Add(models.SelectMany(m => m.Versions.Select(v => RepositoryEntry.From(m.Name, v)))
            .Where(e => !request.Ready || e.State == "READY")
            .Select(e => new RepositoryIndexResponse.Types.ModelIndex { Name = e.Name, Version = e.Version, State = e.State, Reason = e.Reason }));
        return response;
    }

    [Authorize(Scopes.Admin)]
    public override async Task<RepositoryModelLoadResponse> RepositoryModelLoad(RepositoryModelLoadRequest request, ServerCallContext context)
    {
        var name = ModelName(request.ModelName, request.RepositoryName);
        await sender.Send(new WarmModel(name), context.CancellationToken);
        return new RepositoryModelLoadResponse { ModelName = name, IsLoaded = true };
    }

    /// <summary>Accepted for compatibility, as over REST: versions stay registered and the idle sweeper releases replicas.</summary>
    [Authorize(Scopes.Admin)]
    public override async Task<RepositoryModelUnloadResponse> RepositoryModelUnload(RepositoryModelUnloadRequest request, ServerCallContext context)
    {
        var name = ModelName(request.ModelName, request.RepositoryName);
        await sender.Send(new GetModel(name), context.CancellationToken);
        return new RepositoryModelUnloadResponse { ModelName = name, IsUnloaded = true };
    }

    private static string? Version(string version) => version.Length == 0 ? null : version;

    /// <summary>Triton's field 2, or KServe's field 1 (which Triton calls the repository) when field 2 is empty.</summary>
    private static string ModelName(string modelName, string repositoryName) => modelName.Length > 0 ? modelName : repositoryName;

    private static ModelMetadataResponse.Types.TensorMetadata Tensor(MetadataTensor tensor) =>
        new() { Name = tensor.Name, Datatype = tensor.Datatype.Name(), Shape = { tensor.Shape } };
}
