using Mediator;
using OrleansML.Errors;
using OrleansML.History;
using OrleansML.Serving;

namespace OrleansML.Api.History;

/// <summary>A page of a model's change history, newest first.</summary>
public sealed record GetModelHistory(string Name, int Page, int PageSize) : IRequest<ModelHistoryPage>;

/// <summary>The model as it was at an instant: what it served then.</summary>
public sealed record GetModelAt(string Name, DateTimeOffset At) : IRequest<ModelInfo>;

public sealed class GetModelHistoryHandler(IGrainFactory grains) : IRequestHandler<GetModelHistory, ModelHistoryPage>
{
    public async ValueTask<ModelHistoryPage> Handle(GetModelHistory request, CancellationToken cancellationToken)
    {
        ResourceNames.Validate(request.Name, "model");
        var page = await grains.GetGrain<IModelHistoryGrain>(request.Name).ListAsync(request.Page, request.PageSize);
        // A model changed before history was kept has an empty one; a model that does not exist has none.
        if (page.Total == 0 && await grains.GetGrain<IModelGrain>(request.Name).GetAsync() is null)
        {
            throw PlatformException.NotFound($"model '{request.Name}' not found.");
        }

        return page;
    }
}

public sealed class GetModelAtHandler(IGrainFactory grains) : IRequestHandler<GetModelAt, ModelInfo>
{
    public async ValueTask<ModelInfo> Handle(GetModelAt request, CancellationToken cancellationToken)
    {
        ResourceNames.Validate(request.Name, "model");
        return await grains.GetGrain<IModelHistoryGrain>(request.Name).AtAsync(request.At)
            ?? throw PlatformException.NotFound($"model '{request.Name}' has no recorded state at {request.At.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'} (it did not exist then, or changed last before its history was kept).");
    }
}
