using Mediator;
using OrleansML.Serving;

namespace OrleansML.Api.Models;

/// <summary>Creates a model whose version 1 is <paramref name="Architecture"/> with weights drawn from <paramref name="Seed"/>.</summary>
public sealed record CreateModel(string Name, ArchitectureSpec Architecture, int Seed) : IRequest<ModelInfo>;

public sealed class CreateModelHandler(IGrainFactory grains) : IRequestHandler<CreateModel, ModelInfo>
{
    public async ValueTask<ModelInfo> Handle(CreateModel request, CancellationToken cancellationToken)
    {
        ResourceNames.Validate(request.Name, "model");
        return await grains.GetGrain<IModelGrain>(request.Name).CreateAsync(request.Architecture, request.Seed);
    }
}
