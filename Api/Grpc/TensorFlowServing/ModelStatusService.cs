using Grpc.Core;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using OrleansML.Api.Models;
using OrleansML.Api.Security;
using OrleansML.Serving;
using Tensorflow.Serving;
using State = Tensorflow.Serving.ModelVersionStatus.Types.State;

namespace OrleansML.Api.Grpc.TensorFlowServing;

/// <summary>TF Serving's <c>tensorflow.serving.ModelService/GetModelStatus</c>: every version, or the one a version or label names.</summary>
[Authorize(Scopes.Predict)]
internal sealed class ModelStatusService(ISender sender) : ModelService.ModelServiceBase
{
    public override async Task<GetModelStatusResponse> GetModelStatus(GetModelStatusRequest request, ServerCallContext context)
    {
        var (name, version, label) = ModelSpecs.Target(request.ModelSpec);
        var model = await sender.Send(new GetModel(name), context.CancellationToken);
        var versions = version is null && label is null ? model.Versions : [ModelSpecs.Resolve(model, version, label)];
        var response = new GetModelStatusResponse();
        response.ModelVersionStatus.Add(versions.Select(Status));
        return response;
    }

    /// <summary>As the REST status: a failed version has ended, with its reason.</summary>
    private static ModelVersionStatus Status(ModelVersionInfo version) => new()
    {
        Version = version.Version,
        State = version.State switch
        {
            VersionState.Available => State.Available,
            VersionState.Loading => State.Loading,
            VersionState.Unloading => State.Unloading,
            _ => State.End,
        },
        Status = version.State == VersionState.Failed
            ? new StatusProto { ErrorCode = Tensorflow.Error.Code.Unknown, ErrorMessage = version.FailureReason ?? "failed to load" }
            : new StatusProto { ErrorCode = Tensorflow.Error.Code.Ok },
    };
}
