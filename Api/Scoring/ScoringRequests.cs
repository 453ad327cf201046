using Mediator;
using OrleansML.Api.Training;
using OrleansML.Errors;
using OrleansML.Scoring;

namespace OrleansML.Api.Scoring;

public sealed record StartScoringJob(ScoringJobSpec Spec) : IRequest<ScoringJobStatus>;

public sealed record GetScoringJob(string Id) : IRequest<ScoringJobStatus?>;

public sealed class StartScoringJobHandler(IClusterClient client) : IRequestHandler<StartScoringJob, ScoringJobStatus>
{
    public async ValueTask<ScoringJobStatus> Handle(StartScoringJob request, CancellationToken cancellationToken) =>
        request.Spec is { Model: not null, Dataset: not null, OutputDataset: not null }
            ? await client.GetGrain<IScoringJobGrain>(Guid.NewGuid().ToString("N")).StartAsync(request.Spec)
            : throw PlatformException.Invalid("'model', 'dataset' and 'outputDataset' are required.");
}

public sealed class GetScoringJobHandler(IClusterClient client) : IRequestHandler<GetScoringJob, ScoringJobStatus?>
{
    public async ValueTask<ScoringJobStatus?> Handle(GetScoringJob request, CancellationToken cancellationToken) =>
        GetTrainingJobHandler.IsJobId(request.Id) ? await client.GetGrain<IScoringJobGrain>(request.Id).GetAsync() : null;
}
