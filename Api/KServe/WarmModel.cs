using Mediator;
using OrleansML.Errors;
using OrleansML.Serving;

namespace OrleansML.Api.KServe;

/// <summary>
/// The V2 repository "load": OrleansML models are registered once uploaded, so loading means warming. It runs a
/// one-row zero batch through the model's default route, which loads that version's replica on the silo that
/// serves the call, and answers once it is ready (or why it is not).
/// </summary>
public sealed record WarmModel(string Name) : IRequest<Prediction>;

public sealed class WarmModelHandler(IGrainFactory grains) : IRequestHandler<WarmModel, Prediction>
{
    public async ValueTask<Prediction> Handle(WarmModel request, CancellationToken cancellationToken)
    {
        ResourceNames.Validate(request.Name, "model");
        var model = await grains.GetGrain<IModelGrain>(request.Name).GetAsync()
            ?? throw PlatformException.NotFound($"model '{request.Name}' not found.");
        var version = model.Versions.FirstOrDefault(v => v.Version == model.DefaultVersion)
            ?? throw PlatformException.Invalid($"model '{request.Name}' has no available version to load.");
        return await grains.GetGrain<IPredictorGrain>(request.Name)
            .PredictAsync(new PredictionRequest(version.Signature.Inputs.Select(i => i.Zeros()).ToArray(), version.Version));
    }
}
