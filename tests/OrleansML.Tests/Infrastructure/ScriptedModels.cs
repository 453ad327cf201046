using System.IO.Compression;
using System.Text;

namespace OrleansML.Tests.Infrastructure;

/// <summary>
/// TorchScript archives with other forward methods, made without Python: the PyTorch-saved scripted fixture with its
/// root class's source replaced (libtorch compiles a module's code from the archive's <c>code/</c> when it loads it)
/// and its debug records dropped. The class keeps the fixture's name and attributes, so its pickled state still fits.
/// </summary>
public static class ScriptedModels
{
    /// <summary><c>forward(a, b) -> (a + b, a * b)</c> over FP32 rows of 6.</summary>
    public static byte[] SumAndProduct => WithForward("a: Tensor, b: Tensor) -> Tuple[Tensor, Tensor]:\n    return (torch.add(a, b), torch.mul(a, b))");

    /// <summary><c>forward(ids, mask) -> (ids * mask, sum(ids, 1))</c> over INT64 rows, as an encoder's token inputs.</summary>
    public static byte[] TokenEncoder => WithForward("ids: Tensor, mask: Tensor) -> Tuple[Tensor, Tensor]:\n    return (torch.mul(ids, mask), torch.sum(ids, [1]))");

    /// <summary><c>forward(x) -> [x, x + 1]</c>: a list of outputs.</summary>
    public static byte[] ListOfTwo => WithForward("x: Tensor) -> List[Tensor]:\n    return [x, torch.add(x, 1)]");

    /// <summary><c>forward(x) -> x</c>: any datatype, returned as it came.</summary>
    public static byte[] Identity => WithForward("x: Tensor) -> Tensor:\n    return x");

    /// <summary>The scripted fixture re-zipped with PyTorch's newer layout: the version at <c>.data/version</c>, with byteorder and a serialization id.</summary>
    public static byte[] NewerLayout()
    {
        return Rewrite(File.ReadAllBytes(Fixtures.Scripted), (name, content) => name switch
        {
            "foo/version" => [("foo/.data/version", content), ("foo/byteorder", "little"u8.ToArray()), ("foo/.data/serialization_id", "1234567890"u8.ToArray())],
            _ => [(name, content)],
        });
    }

    private static byte[] WithForward(string forward)
    {
        var code = $$"""
            class MyModule(Module):
              __parameters__ = ["weight", ]
              __buffers__ = []
              weight : Tensor
              training : bool
              _is_full_backward_hook : Optional[bool]
              linear : __torch__.torch.nn.modules.linear.Linear
              def forward(self: __torch__.MyModule,
                {{forward.Replace("\n", "\n  ")}}

            """;
        return Rewrite(File.ReadAllBytes(Fixtures.Scripted), (name, content) => name switch
        {
            "foo/code/__torch__.py" => [(name, Encoding.UTF8.GetBytes(code))],
            _ when name.EndsWith(".debug_pkl", StringComparison.Ordinal) => [],
            _ => [(name, content)],
        });
    }

    private static byte[] Rewrite(byte[] archive, Func<string, byte[], (string Name, byte[] Content)[]> entry)
    {
        var output = new MemoryStream();
        using (var input = new ZipArchive(new MemoryStream(archive)))
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var source in input.Entries)
            {
                using var read = source.Open();
                var content = new MemoryStream();
                read.CopyTo(content);
                foreach (var (name, bytes) in entry(source.FullName, content.ToArray()))
                {
                    using var write = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
                    write.Write(bytes);
                }
            }
        }

        return output.ToArray();
    }
}
