using System.Text;
using OrleansML.Serving;
using OrleansML.Tests.Infrastructure;
using OrleansML.Torch;
using static OrleansML.Tests.Security.HostileInputs;
using static OrleansML.Tests.Security.KnownState;

namespace OrleansML.Tests.Security;

public static partial class HostileRequests
{
    private static readonly Lazy<byte[]> ScriptedBytes = new(() => File.ReadAllBytes(Fixtures.Scripted));

    private static readonly Lazy<byte[]> NativeBytes = new(() =>
    {
        using var module = ArchitectureBuilder.Build(new ArchitectureSpec("mlp", 4, [8], 3));
        return ModelArtifacts.SaveNative(module);
    });

    private const string Architecture = """{"type":"mlp","inputs":4,"hidden":[8],"outputs":3}""";

    /// <summary>Hidden sizes whose weight count (three products near 2^62) overflows 64 bits when summed.</summary>
    private const string OverflowingArchitecture = """{"type":"mlp","inputs":4,"hidden":[2147483647,2147483647,2147483647,2147483647],"outputs":3}""";

    private static IEnumerable<HostileRequest> Models() =>
        Upload().Concat(Create()).Concat(ListAndGet());

    private static IEnumerable<HostileRequest> Upload()
    {
        const string route = "/api/models/{name}/versions";
        const string path = $"/api/models/{Mlp}/versions";
        HostileRequest Send(string @case, Func<HttpContent> content) => new(route, "POST", @case, path, content);

        foreach (var (name, content) in HostileMultipart.Malformed("artifact"))
        {
            yield return Send($"multipart: {name}", content);
        }

        yield return Send("JSON where multipart expected", Json("""{"artifact":"AAAA"}"""));
        yield return Send("text/plain artifact", () => Bytes(ScriptedBytes.Value, "text/plain"));
        yield return Send("form-urlencoded", () => new FormUrlEncodedContent([new("artifact", "AAAA")]));
        yield return Send("raw octet-stream", () => Bytes(ScriptedBytes.Value, "application/octet-stream"));
        yield return Send("no content type", () => Bytes(ScriptedBytes.Value, null));
        yield return Send("declared length of 1 TB", () => WithLength(Form("artifact", [1, 2, 3]), 1L << 40));
        yield return Send("over the upload limit", () => Form("artifact", new byte[HostileApiFixture.MaxUploadBytes + 1]));
        foreach (var part in new[] { "file", "model", "artifacts", "artifact[]" })
        {
            yield return Send($"model under part name '{part}'", () => Form(part, ScriptedBytes.Value));
        }

        yield return Send("artifact as a field, not a file", () => new MultipartFormDataContent { { new StringContent("AAAA"), "artifact" } });
        yield return Send("empty artifact", () => Form("artifact", []));
        yield return Send("text artifact", () => Form("artifact", "this is not a model"u8.ToArray()));
        yield return Send("zip magic then garbage", () => Form("artifact", [(byte)'P', (byte)'K', 3, 4, .. Garbage(256, seed: 2)]));
        yield return Send("zip that is not TorchScript", () => Form("artifact", Zip("model/readme.txt")));
        yield return Send("torch.save archive (no code/)", () => Form("artifact", Zip("archive/data.pkl", "archive/version", "archive/data/0")));
        yield return Send("native weights declared TorchScript", () => Form("artifact", NativeBytes.Value, fields: ("format", "TorchScript")));
        yield return Send("TorchScript declared native", () => Form("artifact", ScriptedBytes.Value, fields: [("format", "Native"), ("architecture", Architecture)]));
        yield return Send("truncated native weights", () => Form("artifact", NativeBytes.Value[..^5], fields: ("architecture", Architecture)));
        yield return Send("unknown format", () => Form("artifact", ScriptedBytes.Value, fields: ("format", "tensorflow")));
        yield return Send("TorchScript declared ONNX", () => Form("artifact", ScriptedBytes.Value, fields: ("format", "Onnx")));
        yield return Send("truncated ONNX", () => Form("artifact", OnnxModels.GemmRelu()[..^20]));
        yield return Send("ONNX ir_version then garbage", () => Form("artifact", [0x08, 0x08, 0x3a, .. Garbage(256, seed: 5)]));
        yield return Send("ONNX graph length past the end", () => Form("artifact", [0x08, 0x08, 0x3a, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]));
        yield return Send("ONNX opset 6 (Gemm(6))", () => Form("artifact", OnnxModels.GemmRelu(opset: 6)));
        yield return Send("ONNX unknown operator", () => Form("artifact", OnnxModels.GemmRelu(op: "NoSuchOperator")));
        yield return Send("ONNX weights in an external file", () => Form("artifact", OnnxModels.ExternalWeights("../../../../etc/passwd")));
        yield return Send("format with trailing space", () => Form("artifact", ScriptedBytes.Value, fields: ("format", "TorchScript ")));
        yield return Send("garbage with an architecture", () => Form("artifact", Garbage(512, seed: 3), fields: ("architecture", Architecture)));
        yield return Send("architecture whose weight count overflows", () => Form("artifact", Garbage(512, seed: 4), fields: ("architecture", OverflowingArchitecture)));
        foreach (var fileName in new[] { "../../../../etc/passwd", "..\\..\\windows\\win.ini", "/etc/passwd", "C:\\evil.dll", "a\u0000b", new string('n', 5000) })
        {
            yield return Send($"file name {Short(fileName)}", HostileMultipart.FileNamed("artifact", fileName, "junk"));
        }

        var parts = new (string Part, string Case, string Json)[]
        {
            ("signature", "truncated", "{"),
            ("signature", "deep arrays (10000)", new string('[', 10_000) + new string(']', 10_000)),
            ("signature", "wrong types", """{"input":"x","outputs":5}"""),
            ("signature", "NaN literal", """{"input":{"name":"input","dataType":"FP32","shape":[NaN]},"outputs":[]}"""),
            ("signature", "1e309 dimension", """{"input":{"name":"input","dataType":"FP32","shape":[1e309]},"outputs":[]}"""),
            ("signature", "lone surrogate name", """{"input":{"name":"\ud800","dataType":"FP32","shape":[6]},"outputs":[]}"""),
            ("signature", "null", "null"),
            ("architecture", "empty object", "{}"),
            ("architecture", "1e309 inputs", """{"type":"mlp","inputs":1e309,"hidden":[8],"outputs":3}"""),
            ("preprocessing", "NaN literal", """{"mean":[NaN],"std":[1]}"""),
            ("preprocessing", "wrong length", """{"mean":[0,0],"std":[1,1]}"""),
            ("preprocessing", "zero deviations", """{"mean":[0,0,0,0,0,0],"std":[0,0,0,0,0,0]}"""),
        };
        foreach (var (part, name, json) in parts)
        {
            yield return Send($"{part} part: {name}", () => Form("artifact", ScriptedBytes.Value, fields: (part, json)));
        }

        foreach (var request in HostileNames(route, "POST", "/api/models/{name}/versions", () => Form("artifact", ScriptedBytes.Value)))
        {
            yield return request;
        }

        foreach (var request in WrongMethods(route, path, "POST"))
        {
            yield return request;
        }
    }

    private static IEnumerable<HostileRequest> Create()
    {
        const string route = "/api/models/";
        var requests = JsonBodies(route, "POST", "/api/models",
            $$"""{"name":"hostile-new","architecture":{{Architecture}},"seed":1}""",
            $$"""{"architecture":{{Architecture}}}""",
            """{"name":"hostile-new"}""",
            $$"""{"name":5,"architecture":{{Architecture}}}""",
            $$"""{"name":null,"architecture":{{Architecture}}}""",
            $$"""{"name":["a"],"architecture":{{Architecture}}}""",
            $$"""{"name":"../../etc/passwd","architecture":{{Architecture}}}""",
            $$"""{"name":"{{new string('a', 65)}}","architecture":{{Architecture}}}""",
            $$"""{"name":"\ud800","architecture":{{Architecture}}}""",
            $$"""{"name":"a\u0000b","architecture":{{Architecture}}}""",
            $$"""{"name":"\u202Egnp.exe","architecture":{{Architecture}}}""",
            $$"""{"name":"{{Mlp}}","architecture":{{Architecture}}}""",
            """{"name":"hostile-new","architecture":{"type":"cnn","inputs":4,"hidden":[8],"outputs":3}}""",
            """{"name":"hostile-new","architecture":{"type":"mlp","inputs":0,"hidden":[8],"outputs":3}}""",
            """{"name":"hostile-new","architecture":{"type":"mlp","inputs":-4,"hidden":[8],"outputs":3}}""",
            """{"name":"hostile-new","architecture":{"type":"mlp","inputs":1e309,"hidden":[8],"outputs":3}}""",
            """{"name":"hostile-new","architecture":{"type":"mlp","inputs":"4","hidden":[8],"outputs":3}}""",
            """{"name":"hostile-new","architecture":{"type":"mlp","inputs":4,"hidden":"8","outputs":3}}""",
            """{"name":"hostile-new","architecture":{"type":"mlp","inputs":4,"hidden":[0],"outputs":3}}""",
            """{"name":"hostile-new","architecture":{"type":"mlp","inputs":4,"hidden":[-8],"outputs":3}}""",
            $$$"""{"name":"hostile-new","architecture":{"type":"mlp","inputs":4,"hidden":[{{{string.Join(",", Enumerable.Repeat(1, 65))}}}],"outputs":3}}""",
            $$"""{"name":"hostile-new","architecture":{{OverflowingArchitecture}}}""",
            """{"name":"hostile-new","architecture":{"type":"mlp","inputs":100000,"hidden":[100000],"outputs":3}}""",
            """{"name":"hostile-new","architecture":{"type":"mlp","inputs":4,"hidden":[8],"outputs":2147483648}}""",
            """{"name":"hostile-new","architecture":{"type":"mlp","inputs":4,"hidden":[8],"outputs":3,"activation":"evil"}}""",
            """{"name":"hostile-new","architecture":{"type":"mlp","inputs":4,"hidden":[8],"outputs":3,"dropout":1}}""",
            """{"name":"hostile-new","architecture":{"type":"mlp","inputs":4,"hidden":[8],"outputs":3,"dropout":-0.5}}""",
            """{"name":"hostile-new","architecture":{"type":"mlp","inputs":4,"hidden":[8],"outputs":3,"dropout":"NaN"}}""",
            $$"""{"name":"hostile-new","architecture":{{Architecture}},"seed":1e309}""",
            $$"""{"name":"hostile-new","architecture":{{Architecture}},"seed":9223372036854775808}""",
            $$"""{"name":"hostile-new","architecture":{{Architecture}},"seed":"1"}""",
            $$"""{"name":"hostile-new","architecture":{{Architecture}},"seed":1.5}""",
            """{"name":"hostile-new","architecture":null}""");
        return requests.Concat(WrongMethods(route, "/api/models", "GET", "POST"));
    }

    private static IEnumerable<HostileRequest> ListAndGet()
    {
        const string list = "/api/models/";
        const string get = "/api/models/{name}";
        const string reason = "a read whose unknown query parameters and body are ignored, as HTTP allows; nothing changes";
        return
        [
            new(list, "GET", "junk query", "/api/models" + JunkQuery) { Tolerated = reason },
            new(list, "GET", "GET with a malformed body", "/api/models", Json("{")) { Tolerated = reason },
            new(get, "GET", "unknown model", "/api/models/no-such-model"),
            new(get, "GET", "valid name, reserved on Windows", "/api/models/CON"),
            new(get, "GET", "junk query", $"/api/models/{Mlp}" + JunkQuery) { Tolerated = reason },
            .. HostileNames(get, "GET", "/api/models/{name}"),
            .. WrongMethods(get, $"/api/models/{Mlp}", "GET"),
        ];
    }

    private static HttpContent WithLength(HttpContent content, long length)
    {
        content.Headers.ContentLength = length;
        return content;
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
