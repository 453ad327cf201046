using Mediator;
using OrleansML.Repository;

namespace OrleansML.Api.Repository;

/// <summary>What the repository poller found, when, and what failed; <c>enabled: false</c> when no repository is configured.</summary>
public sealed record GetRepositoryStatus : IRequest<RepositoryStatus>;

public sealed class GetRepositoryStatusHandler(IGrainFactory grains) : IRequestHandler<GetRepositoryStatus, RepositoryStatus>
{
    public async ValueTask<RepositoryStatus> Handle(GetRepositoryStatus request, CancellationToken cancellationToken) =>
        await grains.GetGrain<IModelRepositoryGrain>(0).GetStatusAsync();
}
