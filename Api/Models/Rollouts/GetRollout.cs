using Mediator;
using OrleansML.Errors;
using OrleansML.Serving;
using OrleansML.Serving.Rollouts;

namespace OrleansML.Api.Models.Rollouts;

public sealed record GetRollout(string Name) : IRequest<RolloutInfo>;

public sealed class GetRolloutHandler(IGrainFactory grains) : IRequestHandler<GetRollout, RolloutInfo>
{
    public async ValueTask<RolloutInfo> Handle(GetRollout request, CancellationToken cancellationToken)
    {
        ResourceNames.Validate(request.Name, "model");
        var model = grains.GetGrain<IModelGrain>(request.Name);
        return await model.GetRolloutAsync()
            ?? throw PlatformException.NotFound(await model.GetAsync() is null
                ? $"model '{request.Name}' not found."
                : $"model '{request.Name}' has had no rollout.");
    }
}
