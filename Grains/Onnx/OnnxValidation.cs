using OrleansML.Errors;
using OrleansML.Serving;

namespace OrleansML.Onnx;

/// <summary>
/// Decides whether an ONNX file is a servable model: ONNX Runtime opens it, its signature is read from the model
/// (filled in by an uploaded one where the model leaves dimensions free), and it runs once on the
/// <see cref="OnnxProbe"/> inputs of that signature (zeros, ones for integer inputs).
/// </summary>
public static class OnnxValidation
{
    public static ModelSignature Check(byte[] model, NewModelVersion request)
    {
        if (request.Preprocessing is not null)
        {
            throw PlatformException.Invalid("preprocessing (standardization) applies to TorchScript and native versions; an ONNX model carries its own in its graph.");
        }

        using var runner = OnnxRunner.Load(model, OnnxSessionSetup.Validation);
        var declared = OnnxSignature.Declared(runner);
        var signature = request.Signature is { } given ? OnnxSignature.Merge(declared, given) : declared;
        SignatureCheck.Signature(signature);

        var zeros = OnnxProbe.Inputs(signature);
        TensorData[] produced;
        try
        {
            produced = runner.Run(zeros.Select(z => new RunnerInput(z.DataType, z.Shape, [z.Data])).ToArray(), new RunTimes());
        }
        catch (PlatformException exception)
        {
            var shapes = string.Join(", ", zeros.Select(z => $"'{z.Name}' {SignatureCheck.Format(z.Shape)}"));
            throw PlatformException.Invalid($"the model's test inference on zero inputs (ones for integer inputs) ({shapes}) failed: {exception.Message}");
        }

        var outputs = new TensorSpec[produced.Length];
        for (var o = 0; o < produced.Length; o++)
        {
            var (spec, shape) = (signature.Outputs[o], produced[o].Shape);
            if (signature.IsBatched && (shape.Length == 0 || shape[0] != 1))
            {
                throw PlatformException.Invalid($"every input has a free leading dimension, but on a batch of 1 the model returned shape {SignatureCheck.Format(shape)} for output '{spec.Name}', so its rows cannot be split per request; upload a 'signature' part that fixes the inputs' dimensions to serve it unbatched.");
            }

            // The declared shape where it has the rank the model returned (symbolic dimensions stay -1), else what it returned.
            var settled = spec.Shape.Length == shape.Length ? spec.Shape : shape;
            outputs[o] = spec with { Shape = signature.IsBatched ? [-1, .. settled[1..]] : settled };
        }

        return signature with { Outputs = outputs };
    }
}
