using Mediator;
using OrleansML.Serving;

namespace OrleansML.Api.Models;

public sealed record SetLabel(string Name, string Label, int Version) : IRequest<ModelInfo>;

public sealed class SetLabelHandler(IGrainFactory grains) : IRequestHandler<SetLabel, ModelInfo>
{
    public async ValueTask<ModelInfo> Handle(SetLabel request, CancellationToken cancellationToken)
    {
        ResourceNames.Validate(request.Name, "model");
        return await grains.GetGrain<IModelGrain>(request.Name).SetLabelAsync(request.Label, request.Version);
    }
}
