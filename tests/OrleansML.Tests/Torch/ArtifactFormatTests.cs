using System.IO.Compression;
using OrleansML.Errors;
using OrleansML.Serving;
using OrleansML.Tests.Infrastructure;
using OrleansML.Torch;

namespace OrleansML.Tests.Torch;

public sealed class ArtifactFormatTests
{
    private static readonly ArchitectureSpec Small = new("mlp", 4, [8], 2);

    [Fact]
    public void PyTorch_saved_TorchScript_files_and_TorchSharp_saved_weights_pass_their_checks()
    {
        ArtifactFormat.Check(File.ReadAllBytes(Fixtures.L1000), ModelFormat.TorchScript, declared: true);
        ArtifactFormat.Check(File.ReadAllBytes(Fixtures.Scripted), ModelFormat.TorchScript, declared: true);
        ArtifactFormat.Check(NativeBytes(), ModelFormat.Native, declared: true);
    }

    [Fact]
    public void A_file_declared_TorchScript_that_is_not_a_zip_archive_is_refused_naming_the_magic_bytes()
    {
        var error = Refused(NativeBytes(), ModelFormat.TorchScript);

        Assert.Contains("declared TorchScript", error);
        Assert.Contains("PK", error);
    }

    [Fact]
    public void Zip_archives_that_are_not_TorchScript_are_refused_naming_what_is_missing()
    {
        Assert.Contains("not a valid one", Refused([(byte)'P', (byte)'K', 3, 4, 1, 2, 3], ModelFormat.TorchScript));
        Assert.Contains("data.pkl", Refused(Zip("model/readme.txt"), ModelFormat.TorchScript));
        Assert.Contains("one folder", Refused(Zip("model/data.pkl", "model/version", "other/code/x.py"), ModelFormat.TorchScript));
        // torch.save's zip format: the same layout as TorchScript's, without code.
        Assert.Contains("torch.save", Refused(Zip("archive/data.pkl", "archive/version", "archive/data/0"), ModelFormat.TorchScript));
    }

    [Fact]
    public void Files_declared_native_that_are_not_in_TorchSharps_format_are_refused_naming_the_problem()
    {
        var weights = NativeBytes();

        Assert.Contains("declared native weights", Refused(File.ReadAllBytes(Fixtures.Scripted), ModelFormat.Native));
        Assert.Contains("tensor count", Refused([0, 1, 2], ModelFormat.Native));
        Assert.Contains("no name", Refused("this is not a model"u8.ToArray(), ModelFormat.Native));
        Assert.Contains("declares more data than the file holds", Refused(weights[..^1], ModelFormat.Native));
        Assert.Contains("follow the last", Refused([.. weights, 0], ModelFormat.Native));
    }

    [Fact]
    public void A_native_header_declaring_a_huge_tensor_is_refused_by_arithmetic()
    {
        // One float32 tensor "w" of shape [10^12, 10^12] in a 20-byte file: 4 * 10^24 bytes, past any long.
        var header = new List<byte> { 1, 1, (byte)'w', 6, 2 };
        header.AddRange(Leb128(1_000_000_000_000));
        header.AddRange(Leb128(1_000_000_000_000));

        Assert.Contains("declares more data than the file holds", Refused(header.ToArray(), ModelFormat.Native));
    }

    [Fact]
    public void Detection_takes_zip_archives_as_TorchScript_and_anything_else_as_native()
    {
        Assert.Equal(ModelFormat.TorchScript, ModelArtifacts.DetectFormat(File.ReadAllBytes(Fixtures.Scripted)));
        Assert.Equal(ModelFormat.Native, ModelArtifacts.DetectFormat(NativeBytes()));
        Assert.Contains("neither a TorchScript archive nor native weights", Refused("junk"u8.ToArray(), ModelFormat.Native, declared: false));
    }

    private static string Refused(byte[] artifact, ModelFormat format, bool declared = true) =>
        Assert.Throws<PlatformException>(() => ArtifactFormat.Check(artifact, format, declared)).Message;

    private static byte[] NativeBytes()
    {
        using var module = ArchitectureBuilder.Build(Small);
        return ModelArtifacts.SaveNative(module);
    }

    private static byte[] Zip(params string[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                using var writer = new StreamWriter(zip.CreateEntry(entry).Open());
                writer.Write("x");
            }
        }

        return buffer.ToArray();
    }

    private static IEnumerable<byte> Leb128(long value)
    {
        do
        {
            var next = (byte)(value & 0x7F);
            value >>= 7;
            yield return value == 0 ? next : (byte)(next | 0x80);
        }
        while (value != 0);
    }
}
