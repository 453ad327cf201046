using Mediator;
using OrleansML.Serving;

namespace OrleansML.Api.Models;

public sealed record RemoveLabel(string Name, string Label) : IRequest<ModelInfo>;

public sealed class RemoveLabelHandler(IGrainFactory grains) : IRequestHandler<RemoveLabel, ModelInfo>
{
    public async ValueTask<ModelInfo> Handle(RemoveLabel request, CancellationToken cancellationToken)
    {
        ResourceNames.Validate(request.Name, "model");
        return await grains.GetGrain<IModelGrain>(request.Name).RemoveLabelAsync(request.Label);
    }
}
