using Mediator;
using OrleansML.Serving;

namespace OrleansML.Api.Models;

public sealed record SetOnnxSession(string Name, OnnxSessionSettings Settings) : IRequest<ModelInfo>;

public sealed class SetOnnxSessionHandler(IGrainFactory grains) : IRequestHandler<SetOnnxSession, ModelInfo>
{
    public async ValueTask<ModelInfo> Handle(SetOnnxSession request, CancellationToken cancellationToken)
    {
        ResourceNames.Validate(request.Name, "model");
        return await grains.GetGrain<IModelGrain>(request.Name).SetOnnxSessionAsync(request.Settings);
    }
}
