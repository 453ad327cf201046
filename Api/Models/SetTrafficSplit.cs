using Mediator;
using OrleansML.Serving;

namespace OrleansML.Api.Models;

public sealed record SetTrafficSplit(string Name, Dictionary<string, int> Weights) : IRequest<ModelInfo>;

public sealed class SetTrafficSplitHandler(IGrainFactory grains) : IRequestHandler<SetTrafficSplit, ModelInfo>
{
    public async ValueTask<ModelInfo> Handle(SetTrafficSplit request, CancellationToken cancellationToken)
    {
        ResourceNames.Validate(request.Name, "model");
        return await grains.GetGrain<IModelGrain>(request.Name).SetTrafficSplitAsync(request.Weights);
    }
}
