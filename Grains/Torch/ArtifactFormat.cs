using System.IO.Compression;
using OrleansML.Errors;
using OrleansML.Onnx;
using OrleansML.Serving;

namespace OrleansML.Torch;

/// <summary>
/// Checks that an artifact is in its format before torch reads it. libtorch and TorchSharp trust the sizes written
/// inside a file, so a file that only claims to be a model could make them allocate whatever it declares; here a
/// malformed file is a 400 that says what is wrong, and torch only ever sees well-formed ones.
/// </summary>
public static class ArtifactFormat
{
    /// <summary>A zip archive's local file header magic, <c>PK\x03\x04</c>: how every TorchScript file starts.</summary>
    public static bool StartsLikeZip(ReadOnlySpan<byte> artifact) => artifact is [(byte)'P', (byte)'K', 3, 4, ..];

    /// <summary>
    /// Throws a <see cref="PlatformException"/> (400) naming the problem when <paramref name="artifact"/> is not in
    /// <paramref name="format"/>; <paramref name="declared"/> says whether the uploader named the format or it was detected.
    /// </summary>
    public static void Check(byte[] artifact, ModelFormat format, bool declared)
    {
        var problem = format switch
        {
            ModelFormat.TorchScript => TorchScriptProblem(artifact),
            ModelFormat.Onnx => OnnxFormat.Problem(artifact),
            _ => NativeWeights.Problem(artifact),
        };
        if (problem is null)
        {
            return;
        }

        throw PlatformException.Invalid(format switch
        {
            ModelFormat.TorchScript when declared => $"the artifact is declared TorchScript but {problem}.",
            ModelFormat.TorchScript => $"the artifact {problem}.",
            ModelFormat.Onnx when declared => $"the artifact is declared ONNX but {problem}.",
            ModelFormat.Onnx => $"the artifact {problem}.",
            _ when declared => $"the artifact is declared native weights but is not in TorchSharp's format: {problem}.",
            _ => $"the artifact is neither a TorchScript archive nor native weights in TorchSharp's format: {problem}.",
        });
    }

    /// <summary>
    /// What <c>torch.jit.save</c> writes: a zip archive whose entries all sit under one folder holding
    /// <c>data.pkl</c>, the format version and the model's <c>code/</c>. The version is <c>version</c> in archives of
    /// older PyTorch releases and <c>.data/version</c> in recent ones (beside <c>byteorder</c> and
    /// <c>.data/serialization_id</c>); libtorch loads both. Null when the artifact is one.
    /// </summary>
    private static string? TorchScriptProblem(byte[] artifact)
    {
        if (!StartsLikeZip(artifact))
        {
            return "is not a zip archive (a TorchScript file starts with PK\\x03\\x04)";
        }

        string[] names;
        try
        {
            using var zip = new ZipArchive(new MemoryStream(artifact), ZipArchiveMode.Read);
            names = zip.Entries.Select(e => e.FullName).ToArray();
        }
        catch (InvalidDataException)
        {
            return "starts like a zip archive but is not a valid one";
        }

        var root = names.FirstOrDefault()?.Split('/')[0];
        if (string.IsNullOrEmpty(root) || names.Any(n => !n.StartsWith(root + "/", StringComparison.Ordinal)))
        {
            return "is a zip archive whose entries are not all under one folder, as a TorchScript archive's are";
        }

        if (!names.Contains($"{root}/data.pkl") || !(names.Contains($"{root}/version") || names.Contains($"{root}/.data/version")))
        {
            return $"is a zip archive without {root}/data.pkl and {root}/version (or {root}/.data/version), so not a PyTorch archive";
        }

        return names.Any(n => n.StartsWith($"{root}/code/", StringComparison.Ordinal))
            ? null
            : "is a PyTorch archive without code/: weights saved by torch.save, not a TorchScript module saved by torch.jit.save";
    }
}
