using OrleansML.Errors;
using OrleansML.Serving;
using Tensorflow.Serving;

namespace OrleansML.Api.Grpc.TensorFlowServing;

/// <summary>What a TF Serving <c>ModelSpec</c> addresses: a model, and a version or label or neither (the default route).</summary>
internal static class ModelSpecs
{
    public const string DefaultSignature = "serving_default";

    public static (string Name, int? Version, string? Label) Target(ModelSpec? spec)
    {
        if (spec is null || spec.Name.Length == 0)
        {
            throw PlatformException.Invalid("the request needs a model_spec with the model's name.");
        }

        if (spec.SignatureName.Length > 0 && spec.SignatureName != DefaultSignature)
        {
            throw PlatformException.Invalid($"model '{spec.Name}' has no signature '{spec.SignatureName}'; OrleansML models have one, '{DefaultSignature}'.");
        }

        return spec.VersionChoiceCase switch
        {
            ModelSpec.VersionChoiceOneofCase.Version => (spec.Name, spec.Version is >= 0 and <= int.MaxValue
                ? (int)spec.Version.Value
                : throw PlatformException.NotFound($"version {spec.Version} of model '{spec.Name}' not found."), null),
            ModelSpec.VersionChoiceOneofCase.VersionLabel when spec.VersionLabel.Length > 0 => (spec.Name, null, spec.VersionLabel),
            _ => (spec.Name, null, null),
        };
    }

    /// <summary>The version a spec names, or the model's default (else latest) version.</summary>
    public static ModelVersionInfo Resolve(ModelInfo model, int? version, string? label)
    {
        var number = version
            ?? (label is null ? (int?)null : model.Labels.TryGetValue(label, out var labelled) ? labelled : throw PlatformException.NotFound($"label '{label}' not found on model '{model.Name}'."))
            ?? model.DefaultVersion ?? model.Versions.LastOrDefault()?.Version;
        return model.Versions.FirstOrDefault(v => v.Version == number)
            ?? throw PlatformException.NotFound(number is null ? $"model '{model.Name}' has no versions." : $"version {number} of model '{model.Name}' not found.");
    }

    public static ModelSpec Answer(string model, int version) => new()
    {
        Name = model,
        Version = version,
        SignatureName = DefaultSignature,
    };
}
