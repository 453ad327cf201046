using Mediator;
using OrleansML.Serving;

namespace OrleansML.Api.Models;

/// <summary>One prediction, whichever protocol it came in by: the model's route picks the version unless one is named.</summary>
public sealed record Predict(string Name, TensorData[] Inputs, int? Version = null, string? Label = null, string[]? Outputs = null) : IRequest<Prediction>;

public sealed class PredictHandler(PredictorClient predictors) : IRequestHandler<Predict, Prediction>
{
    public async ValueTask<Prediction> Handle(Predict request, CancellationToken cancellationToken)
    {
        ResourceNames.Validate(request.Name, "model");
        return await predictors.PredictAsync(request.Name, new PredictionRequest(request.Inputs, request.Version, request.Label, request.Outputs), cancellationToken);
    }
}
