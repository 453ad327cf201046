using Mediator;
using OrleansML.Errors;
using OrleansML.Serving;

namespace OrleansML.Api.Shadow;

/// <summary>Starts (or, with a null version, stops) mirroring a share of a model's live requests to a version.</summary>
public sealed record SetShadow(string Name, int? Version, double? Percent) : IRequest<ModelInfo>;

public sealed record ShadowBody(int Version, double Percent);

public sealed class SetShadowHandler(IGrainFactory grains) : IRequestHandler<SetShadow, ModelInfo>
{
    public async ValueTask<ModelInfo> Handle(SetShadow request, CancellationToken cancellationToken)
    {
        ResourceNames.Validate(request.Name, "model");
        if (request.Version is not null && request.Percent is null)
        {
            throw PlatformException.Invalid("shadow needs 'percent' (0 to 100): the share of requests to mirror.");
        }

        return await grains.GetGrain<IModelGrain>(request.Name).SetShadowAsync(request.Version, request.Percent ?? 0);
    }
}
