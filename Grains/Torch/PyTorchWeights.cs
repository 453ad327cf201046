using System.Buffers.Binary;
using System.Collections;
using System.IO.Compression;
using OrleansML.Errors;
using OrleansML.Serving;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace OrleansML.Torch;

/// <summary>
/// Weights trained in PyTorch for an architecture OrleansML builds: a <c>state_dict</c> saved by <c>torch.save</c>
/// (a zip archive with <c>data.pkl</c> and no <c>code/</c>) or a <c>.safetensors</c> file, read by
/// TorchSharp.PyBridge, matched to the architecture's parameters by name and shape, and stored in TorchSharp's
/// format, so the version loads, trains and scores like any native one.
/// </summary>
public static class PyTorchWeights
{
    /// <summary>The file is a safetensors file (8-byte header length, then a JSON header) or a torch.save archive.</summary>
    public static bool Recognise(byte[] artifact) => IsSafetensors(artifact) || IsStateDictArchive(artifact);

    /// <summary>The weights in TorchSharp's format; a 400 listing every missing, unexpected or mis-shaped parameter.</summary>
    public static byte[] ToNative(byte[] artifact, ArchitectureSpec architecture)
    {
        using var scope = NewDisposeScope();
        using var module = ArchitectureBuilder.Build(architecture);
        var loaded = IsSafetensors(artifact) ? Safetensors(artifact) : StateDict(artifact);
        var expected = module.state_dict();
        var missing = expected.Keys.Where(k => !loaded.ContainsKey(k)).ToList();
        var extra = loaded.Keys.Where(k => !expected.ContainsKey(k)).ToList();
        var misShaped = expected.Where(e => loaded.TryGetValue(e.Key, out var t) && !t.shape.SequenceEqual(e.Value.shape))
            .Select(e => $"'{e.Key}' is {SignatureCheck.Format(loaded[e.Key].shape)} where the architecture has {SignatureCheck.Format(e.Value.shape)}")
            .ToList();
        if (missing.Count + extra.Count + misShaped.Count > 0)
        {
            var problems = new List<string>();
            if (missing.Count > 0)
            {
                problems.Add($"missing {string.Join(", ", missing.Select(m => $"'{m}'"))}");
            }

            if (extra.Count > 0)
            {
                problems.Add($"unexpected {string.Join(", ", extra.Take(20).Select(m => $"'{m}'"))}");
            }

            problems.AddRange(misShaped);
            throw PlatformException.Invalid($"the weights do not fit the architecture: {string.Join("; ", problems)}.");
        }

        using (no_grad())
        {
            foreach (var (name, target) in expected)
            {
                target.copy_(loaded[name].to(target.dtype));
            }
        }

        return ModelArtifacts.SaveNative(module);
    }

    private static Dictionary<string, Tensor> Safetensors(byte[] artifact)
    {
        try
        {
            return new Dictionary<string, Tensor>(TorchSharp.PyBridge.Safetensors.LoadStateDict(new MemoryStream(artifact)));
        }
        catch (Exception exception) when (exception is not PlatformException)
        {
            throw PlatformException.Invalid($"the safetensors file could not be read: {ModelArtifacts.FirstLine(exception.Message)}");
        }
    }

    private static Dictionary<string, Tensor> StateDict(byte[] artifact)
    {
        Hashtable table;
        try
        {
            table = PyTorchUnpickler.UnpickleStateDict(new MemoryStream(artifact));
        }
        catch (Exception exception)
        {
            throw PlatformException.Invalid($"the .pt file is not a PyTorch state_dict (a dictionary of tensor names to tensors): {ModelArtifacts.FirstLine(exception.Message)}");
        }

        var result = new Dictionary<string, Tensor>();
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Key is not string name || entry.Value is not Tensor tensor)
            {
                throw PlatformException.Invalid($"the .pt file is a pickle whose entry {entry.Key} is {entry.Value?.GetType().Name ?? "null"}, not a state_dict of tensor names to tensors.");
            }

            result[name] = tensor;
        }

        return result;
    }

    private static bool IsSafetensors(byte[] artifact) =>
        artifact.Length > 9 && BinaryPrimitives.ReadUInt64LittleEndian(artifact) is var length && length >= 2
        && length <= (ulong)artifact.Length - 8 && artifact[8] == (byte)'{';

    private static bool IsStateDictArchive(byte[] artifact)
    {
        if (!ArtifactFormat.StartsLikeZip(artifact))
        {
            return false;
        }

        try
        {
            using var zip = new ZipArchive(new MemoryStream(artifact), ZipArchiveMode.Read);
            var names = zip.Entries.Select(e => e.FullName).ToList();
            return names.Any(n => n.EndsWith("/data.pkl", StringComparison.Ordinal)) && !names.Any(n => n.Contains("/code/", StringComparison.Ordinal));
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }
}
