using System.Security.Cryptography;
using OrleansML.Errors;
using OrleansML.Onnx;
using OrleansML.Storage;
using OrleansML.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace OrleansML.Serving;

/// <summary>
/// Decides whether a staged artifact is a model: detects its format (unless declared), checks the file is in that
/// format before torch or ONNX Runtime reads it, loads it on the CPU, settles its signature, and runs one forward pass on a zero
/// batch. Only an artifact that passes becomes a version.
/// </summary>
public sealed class VersionValidator(IArtifactStore artifacts)
{
    public async Task<(ModelVersionInfo Version, byte[] Artifact)> ValidateAsync(string model, int number, NewModelVersion request)
    {
        await using var stream = await artifacts.OpenReadAsync(request.StagingKey)
            ?? throw PlatformException.Invalid("the uploaded artifact was not found in staging.");
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        var bytes = buffer.ToArray();
        if (bytes.Length == 0)
        {
            throw PlatformException.Invalid("the artifact is empty.");
        }

        if (request.Architecture is { } architecture && request.Format is null or ModelFormat.Native && PyTorchWeights.Recognise(bytes))
        {
            // PyTorch weights for a native architecture are stored as what they become: TorchSharp weights.
            ArchitectureBuilder.Validate(architecture);
            bytes = await Task.Run(() => PyTorchWeights.ToNative(bytes, architecture));
            await artifacts.WriteAsync(request.StagingKey, new MemoryStream(bytes));
            request = request with { Format = ModelFormat.Native };
        }

        var format = request.Format ?? ModelArtifacts.DetectFormat(bytes);
        if (format == ModelFormat.Native)
        {
            if (request.Architecture is null)
            {
                throw PlatformException.Invalid("the artifact is not a TorchScript file, and no architecture was given to load it as native weights.");
            }

            ArchitectureBuilder.Validate(request.Architecture);
        }

        ArtifactFormat.Check(bytes, format, declared: request.Format is not null);

        var signature = await Task.Run(() => format == ModelFormat.Onnx ? OnnxValidation.Check(bytes, request) : Check(bytes, format, request));
        var version = new ModelVersionInfo
        {
            Version = number,
            State = VersionState.Available,
            Format = format,
            Signature = signature,
            Architecture = format == ModelFormat.Native ? request.Architecture : null,
            Preprocessing = request.Preprocessing,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            SizeBytes = bytes.Length,
            CreatedAt = DateTimeOffset.UtcNow,
            Source = request.Source,
            Metrics = request.Metrics,
            ArtifactKey = $"models/{model}/{number}/artifact",
        };
        return (version, bytes);
    }

    private static ModelSignature Check(byte[] bytes, ModelFormat format, NewModelVersion request)
    {
        using var loaded = ModelArtifacts.Load(bytes, format, request.Architecture, CPU);
        if (request.Signature is { } given)
        {
            return Checked(loaded, given, request.Preprocessing);
        }

        if (format == ModelFormat.Native)
        {
            return Checked(loaded, ArchitectureBuilder.SignatureOf(request.Architecture!), request.Preprocessing);
        }

        // TorchScript without a signature: the widths come from its first and last 2-D weights. Most models take a
        // batch ([-1, n]); a model that only takes one unbatched input ([n], e.g. one using torch.mv) gets that.
        // A model of several inputs needs a 'signature' part naming them.
        var inferred = ModelArtifacts.InferSignature(loaded.Module)
            ?? throw PlatformException.Invalid("the model's input signature could not be inferred; upload it with a 'signature' part.");
        try
        {
            return Checked(loaded, inferred, request.Preprocessing);
        }
        catch (PlatformException batched)
        {
            var unbatched = inferred with { Inputs = [inferred.Inputs[0] with { Shape = inferred.Inputs[0].Shape[1..] }] };
            try
            {
                return Checked(loaded, unbatched, request.Preprocessing);
            }
            catch (PlatformException)
            {
                throw batched;
            }
        }
    }

    /// <summary>Runs one forward pass on zeros of the signature's shapes and returns the signature with the outputs it saw.</summary>
    private static ModelSignature Checked(TorchModel loaded, ModelSignature signature, Standardization? preprocessing)
    {
        SignatureCheck.Signature(signature);
        foreach (var input in signature.Inputs)
        {
            TorchTensors.ScalarTypeOf(input.DataType);
        }

        if (preprocessing is { } standardization)
        {
            if (signature.Inputs.Length != 1)
            {
                throw PlatformException.Invalid($"preprocessing standardizes one input; the model takes {signature.Inputs.Length}.");
            }

            var width = signature.Inputs[0].RowSize;
            if (standardization.Mean.Length != width || standardization.Std.Length != width)
            {
                throw PlatformException.Invalid($"preprocessing has {standardization.Mean.Length} means and {standardization.Std.Length} deviations for {width} input features.");
            }

            if (standardization.Std.Any(s => !(s > 0) || !float.IsFinite(s)) || standardization.Mean.Any(m => !float.IsFinite(m)))
            {
                throw PlatformException.Invalid("preprocessing deviations must be finite and positive, and means finite.");
            }
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor[] produced;
        try
        {
            var zeros = signature.Inputs.Select(i => i.Zeros()).Select(z => TorchTensors.ToTorch(z.DataType, z.Shape, [z.Data])).ToArray();
            produced = loaded.Run(zeros);
        }
        catch (PlatformException)
        {
            throw;
        }
        catch (Exception exception)
        {
            var shapes = string.Join(", ", signature.Inputs.Select(i => $"'{i.Name}' {SignatureCheck.Format(i.Shape.Select(d => d < 0 ? 1 : d))}"));
            throw PlatformException.Invalid($"the model's forward pass failed on zero inputs ({shapes}): {ModelArtifacts.FirstLine(exception.Message)}");
        }

        if (signature.Outputs.Length > 0 && signature.Outputs.Length != produced.Length)
        {
            throw PlatformException.Invalid($"the signature declares {signature.Outputs.Length} outputs but the model returned {produced.Length}.");
        }

        var outputs = new TensorSpec[produced.Length];
        for (var i = 0; i < produced.Length; i++)
        {
            var shape = produced[i].shape;
            var name = signature.Outputs.Length > 0 ? signature.Outputs[i].Name : produced.Length == 1 ? "output" : $"output{i}";
            if (signature.IsBatched && (shape.Length == 0 || shape[0] != 1))
            {
                throw PlatformException.Invalid($"on a batch of 1 the model returned shape {SignatureCheck.Format(shape)} for output '{name}'; the first dimension must be the batch.");
            }

            outputs[i] = new TensorSpec(name, TorchTensors.DataTypeOf(produced[i].dtype), signature.IsBatched ? [-1, .. shape[1..]] : shape);
        }

        return signature with { Outputs = outputs };
    }
}
