using Mediator;
using OrleansML.Serving;
using OrleansML.Serving.Rollouts;

namespace OrleansML.Api.Models.Rollouts;

public sealed record AbortRollout(string Name) : IRequest<RolloutInfo>;

public sealed class AbortRolloutHandler(IGrainFactory grains) : IRequestHandler<AbortRollout, RolloutInfo>
{
    public async ValueTask<RolloutInfo> Handle(AbortRollout request, CancellationToken cancellationToken)
    {
        ResourceNames.Validate(request.Name, "model");
        return await grains.GetGrain<IModelGrain>(request.Name).AbortRolloutAsync();
    }
}
