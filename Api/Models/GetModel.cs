using Mediator;
using OrleansML.Errors;
using OrleansML.Serving;

namespace OrleansML.Api.Models;

public sealed record GetModel(string Name) : IRequest<ModelInfo>;

public sealed class GetModelHandler(IGrainFactory grains) : IRequestHandler<GetModel, ModelInfo>
{
    public async ValueTask<ModelInfo> Handle(GetModel request, CancellationToken cancellationToken)
    {
        ResourceNames.Validate(request.Name, "model");
        return await grains.GetGrain<IModelGrain>(request.Name).GetAsync()
            ?? throw PlatformException.NotFound($"model '{request.Name}' not found.");
    }
}
