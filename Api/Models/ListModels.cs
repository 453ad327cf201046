using Mediator;
using OrleansML.Serving;

namespace OrleansML.Api.Models;

public sealed record ListModels : IRequest<IReadOnlyList<ModelInfo>>;

public sealed class ListModelsHandler(IGrainFactory grains) : IRequestHandler<ListModels, IReadOnlyList<ModelInfo>>
{
    public async ValueTask<IReadOnlyList<ModelInfo>> Handle(ListModels request, CancellationToken cancellationToken)
    {
        var names = await grains.GetGrain<IModelCatalogGrain>(0).ListAsync();
        var models = await Task.WhenAll(names.Select(name => grains.GetGrain<IModelGrain>(name).GetAsync()));
        return models.OfType<ModelInfo>().ToArray();
    }
}
