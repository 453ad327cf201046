using Mediator;
using OrleansML.Serving;

namespace OrleansML.Api.Models;

public sealed record SetBatching(string Name, BatchingSettings Batching) : IRequest<ModelInfo>;

public sealed class SetBatchingHandler(IGrainFactory grains) : IRequestHandler<SetBatching, ModelInfo>
{
    public async ValueTask<ModelInfo> Handle(SetBatching request, CancellationToken cancellationToken)
    {
        ResourceNames.Validate(request.Name, "model");
        return await grains.GetGrain<IModelGrain>(request.Name).SetBatchingAsync(request.Batching);
    }
}
