using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using OrleansML.Api.Http;
using OrleansML.Api.Models;
using PredictResponse = Tensorflow.Serving.PredictResponse;
using OrleansML.Api.Security;
using OrleansML.Errors;
using OrleansML.Serving;
using Tensorflow;
using Tensorflow.Serving;

namespace OrleansML.Api.Grpc.TensorFlowServing;

/// <summary>
/// TF Serving's <c>tensorflow.serving.PredictionService</c>: Predict and GetModelMetadata (the <c>serving_default</c>
/// signature_def), addressed by a ModelSpec's name and version or label, with the REST front end's scopes and refusals.
/// </summary>
[Authorize(Scopes.Predict)]
internal sealed class PredictionService(ISender sender, IOptions<ApiLimits> limits) : Tensorflow.Serving.PredictionService.PredictionServiceBase
{
    private const string SignatureDefField = "signature_def";

    public override async Task<PredictResponse> Predict(PredictRequest request, ServerCallContext context)
    {
        var (model, version, label) = ModelSpecs.Target(request.ModelSpec);
        if (request.Inputs.Count == 0)
        {
            throw PlatformException.Invalid("the predict request has no inputs.");
        }

        var maxElements = limits.Value.MaxPredictElements;
        var inputs = request.Inputs.Select(i => TensorProtos.Read(i.Key, i.Value, maxElements)).ToArray();
        if (inputs.Sum(i => i.ElementCount) > maxElements)
        {
            throw PlatformException.Invalid($"the request declares more than the limit of {maxElements} values.");
        }

        var outputs = request.OutputFilter.Count > 0 ? request.OutputFilter.ToArray() : null;
        var prediction = await sender.Send(new Predict(model, inputs, version, label, outputs), context.CancellationToken);
        var raw = request.Inputs.Values.Any(i => i.TensorContent.Length > 0);
        var response = new PredictResponse { ModelSpec = ModelSpecs.Answer(prediction.Model, prediction.Version) };
        foreach (var output in prediction.Outputs)
        {
            response.Outputs.Add(output.Name, TensorProtos.Write(output, raw));
        }

        return response;
    }

    public override async Task<GetModelMetadataResponse> GetModelMetadata(GetModelMetadataRequest request, ServerCallContext context)
    {
        var (name, version, label) = ModelSpecs.Target(request.ModelSpec);
        if (request.MetadataField.FirstOrDefault(f => f != SignatureDefField) is { } unknown)
        {
            throw PlatformException.Invalid($"metadata field '{unknown}' is not served; ask for '{SignatureDefField}'.");
        }

        var model = await sender.Send(new GetModel(name), context.CancellationToken);
        var found = ModelSpecs.Resolve(model, version, label);
        var signature = new SignatureDef { MethodName = "tensorflow/serving/predict" };
        foreach (var spec in found.Signature.Inputs)
        {
            signature.Inputs.Add(spec.Name, Info(spec));
        }

        foreach (var spec in found.Signature.Outputs)
        {
            signature.Outputs.Add(spec.Name, Info(spec));
        }

        var map = new SignatureDefMap { SignatureDef = { [ModelSpecs.DefaultSignature] = signature } };
        return new GetModelMetadataResponse
        {
            ModelSpec = ModelSpecs.Answer(name, found.Version),
            Metadata = { [SignatureDefField] = Any.Pack(map) },
        };
    }

    private static TensorInfo Info(TensorSpec spec) =>
        new() { Name = spec.Name, Dtype = TensorProtos.DTypeOf(spec.DataType), TensorShape = TensorProtos.Shape(spec.Shape) };
}
