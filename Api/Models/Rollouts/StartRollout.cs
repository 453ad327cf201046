using Mediator;
using OrleansML.Errors;
using OrleansML.Serving;
using OrleansML.Serving.Rollouts;

namespace OrleansML.Api.Models.Rollouts;

/// <summary>The body of <c>POST /api/models/{name}/rollouts</c>; every field but the candidate has a default.</summary>
public sealed record RolloutBody(
    int? Candidate = null,
    string? Baseline = null,
    int[]? Steps = null,
    double? StepDurationSeconds = null,
    double? MaxErrorRate = null,
    double? MaxP99Ratio = null,
    int? MinRequests = null)
{
    public RolloutSpec ToSpec()
    {
        var defaults = new RolloutSpec { Candidate = Candidate ?? throw PlatformException.Invalid("candidate (the version to roll out) is required.") };
        var seconds = StepDurationSeconds ?? defaults.StepDuration.TotalSeconds;
        if (!(seconds >= RolloutPlan.MinStepDuration.TotalSeconds && seconds <= RolloutPlan.MaxStepDuration.TotalSeconds))
        {
            throw PlatformException.Invalid($"stepDurationSeconds is {seconds}; it must be from 1 to 86400.");
        }

        return defaults with
        {
            Baseline = Baseline ?? defaults.Baseline,
            Steps = Steps ?? defaults.Steps,
            StepDuration = TimeSpan.FromSeconds(seconds),
            MaxErrorRate = MaxErrorRate ?? defaults.MaxErrorRate,
            MaxP99Ratio = MaxP99Ratio ?? defaults.MaxP99Ratio,
            MinRequests = MinRequests ?? defaults.MinRequests,
        };
    }
}

public sealed record StartRollout(string Name, RolloutSpec Spec) : IRequest<RolloutInfo>;

public sealed class StartRolloutHandler(IGrainFactory grains) : IRequestHandler<StartRollout, RolloutInfo>
{
    public async ValueTask<RolloutInfo> Handle(StartRollout request, CancellationToken cancellationToken)
    {
        ResourceNames.Validate(request.Name, "model");
        return await grains.GetGrain<IModelGrain>(request.Name).StartRolloutAsync(request.Spec);
    }
}
