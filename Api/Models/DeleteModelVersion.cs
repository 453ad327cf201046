using Mediator;
using OrleansML.Serving;

namespace OrleansML.Api.Models;

public sealed record DeleteModelVersion(string Name, int Version) : IRequest<ModelInfo>;

public sealed class DeleteModelVersionHandler(IGrainFactory grains) : IRequestHandler<DeleteModelVersion, ModelInfo>
{
    public async ValueTask<ModelInfo> Handle(DeleteModelVersion request, CancellationToken cancellationToken)
    {
        ResourceNames.Validate(request.Name, "model");
        return await grains.GetGrain<IModelGrain>(request.Name).DeleteVersionAsync(request.Version);
    }
}
