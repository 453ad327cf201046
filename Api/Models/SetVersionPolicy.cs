using Mediator;
using OrleansML.Serving;

namespace OrleansML.Api.Models;

public sealed record SetVersionPolicy(string Name, int KeepLatest) : IRequest<ModelInfo>;

public sealed class SetVersionPolicyHandler(IGrainFactory grains) : IRequestHandler<SetVersionPolicy, ModelInfo>
{
    public async ValueTask<ModelInfo> Handle(SetVersionPolicy request, CancellationToken cancellationToken)
    {
        ResourceNames.Validate(request.Name, "model");
        return await grains.GetGrain<IModelGrain>(request.Name).SetVersionPolicyAsync(request.KeepLatest);
    }
}
