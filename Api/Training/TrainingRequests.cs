using Mediator;
using OrleansML.Errors;
using OrleansML.Training;

namespace OrleansML.Api.Training;

public sealed record StartTrainingJob(TrainingJobSpec Spec) : IRequest<TrainingJobStatus>;

public sealed record GetTrainingJob(string Id) : IRequest<TrainingJobStatus?>;

public sealed record CancelTrainingJob(string Id) : IRequest<TrainingJobStatus>;

public sealed class StartTrainingJobHandler(IClusterClient client) : IRequestHandler<StartTrainingJob, TrainingJobStatus>
{
    public async ValueTask<TrainingJobStatus> Handle(StartTrainingJob request, CancellationToken cancellationToken) =>
        await client.GetGrain<ITrainingJobGrain>(Guid.NewGuid().ToString("N")).StartAsync(request.Spec);
}

public sealed class GetTrainingJobHandler(IClusterClient client) : IRequestHandler<GetTrainingJob, TrainingJobStatus?>
{
    public async ValueTask<TrainingJobStatus?> Handle(GetTrainingJob request, CancellationToken cancellationToken) =>
        IsJobId(request.Id) ? await client.GetGrain<ITrainingJobGrain>(request.Id).GetAsync() : null;

    internal static bool IsJobId(string id) => id.Length == 32 && id.All(char.IsAsciiHexDigitLower);
}

public sealed class CancelTrainingJobHandler(IClusterClient client) : IRequestHandler<CancelTrainingJob, TrainingJobStatus>
{
    public async ValueTask<TrainingJobStatus> Handle(CancelTrainingJob request, CancellationToken cancellationToken) =>
        GetTrainingJobHandler.IsJobId(request.Id)
            ? await client.GetGrain<ITrainingJobGrain>(request.Id).CancelAsync()
            : throw PlatformException.NotFound($"training job '{request.Id}' not found.");
}
