using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;

namespace OrleansML.Tests.Security;

/// <summary>The building blocks of the corpus: hostile names, malformed JSON, wrong content types and raw bodies.</summary>
public static class HostileInputs
{
    /// <summary>
    /// Names as URL path segments, percent-encoded where the raw character could not travel in a URL. NUL is not
    /// among them: the in-memory test server cannot carry %00 in a path (PathString refuses it), and Kestrel answers
    /// it 400 before the API sees it; NUL travels in query strings, bodies and file names instead.
    /// </summary>
    public static readonly (string Case, string Segment)[] Names =
    [
        ("traversal ../", "..%2F..%2Fetc%2Fpasswd"),
        ("traversal ..\\", "..%5C..%5Cwindows%5Cwin.ini"),
        ("absolute path", "%2Fetc%2Fpasswd"),
        ("drive path", "C%3A%5CWindows%5Csystem32"),
        ("dot-dot inside", "a..b"),
        ("CR LF", "model%0D%0AX-Injected%3A%201"),
        ("very long", new string('a', 4096)),
        ("RTL override", "%E2%80%AEfdp.exe"),
        ("zero-width space", "mo%E2%80%8Bdel"),
        ("emoji", "%F0%9F%A4%96"),
        ("lone surrogate as UTF-8", "%ED%A0%80"),
        ("invalid UTF-8", "%FF%FE"),
        ("leading dash", "-model"),
        ("leading dot", ".model"),
        ("percent sign", "100%25"),
        ("space", "my%20model"),
        ("accented letter", "mod%C3%A8le"),
    ];

    /// <summary>Documents no JSON endpoint can take, whatever it expects.</summary>
    public static readonly (string Case, string Body)[] MalformedJson =
    [
        ("empty", ""),
        ("whitespace", " \n\t "),
        ("null", "null"),
        ("array", "[]"),
        ("string", "\"text\""),
        ("number", "42"),
        ("boolean", "true"),
        ("truncated", """{"a": [1, 2"""),
        ("two documents", "{} {}"),
        ("single quotes", "{'a': 1}"),
        ("unquoted key", "{a: 1}"),
        ("comment", "/* c */ {}"),
        ("NaN literal", """{"a": NaN}"""),
        ("Infinity literal", """{"a": Infinity}"""),
        ("-Infinity literal", """{"a": -Infinity}"""),
        ("1e309", "1e309"),
        ("deep arrays (10000)", new string('[', 10_000) + new string(']', 10_000)),
        ("deep objects (10000)", string.Concat(Enumerable.Repeat("""{"a":""", 10_000)) + "1" + new string('}', 10_000)),
        ("lone surrogate key", """{"\ud800": 1}"""),
        ("raw control character", "{\"a\": \"\u0001\"}"),
    ];

    /// <summary>A JSON-object body that is invalid UTF-8 (0xFF 0xFE inside a string).</summary>
    public static readonly byte[] InvalidUtf8Json = [(byte)'{', (byte)'"', 0xFF, 0xFE, (byte)'"', (byte)':', (byte)'1', (byte)'}'];

    /// <summary>
    /// <paramref name="validJson"/> (a body the endpoint would accept) sent with content types an endpoint taking JSON
    /// must refuse, or as bytes it cannot read.
    /// </summary>
    public static IEnumerable<(string Case, Func<HttpContent> Content)> WrongContentTypes(string validJson) =>
    [
        ("text/plain", () => new StringContent(validJson, Encoding.UTF8, "text/plain")),
        ("application/xml", () => new StringContent("<request><version>1</version></request>", Encoding.UTF8, "application/xml")),
        ("form where JSON expected", () => new FormUrlEncodedContent([new("json", validJson)])),
        ("multipart where JSON expected", () => new MultipartFormDataContent { { new StringContent(validJson), "json" } }),
        ("no content type", () => Bytes(Encoding.UTF8.GetBytes(validJson), null)),
        ("json-like media type", () => Bytes(Encoding.UTF8.GetBytes(validJson), "application/jsonx")),
        ("UTF-16 bytes", () => Bytes(Encoding.Unicode.GetBytes(validJson), "application/json")),
        ("invalid UTF-8", () => Bytes(InvalidUtf8Json, "application/json")),
    ];

    public static Func<HttpContent> Json(string body) => () => new StringContent(body, Encoding.UTF8, "application/json");

    /// <summary>Bytes with a Content-Type set verbatim (or none), so malformed media types travel as written.</summary>
    public static HttpContent Bytes(byte[] body, string? contentType)
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        return content;
    }

    public static HttpContent Text(string body, string? contentType) => Bytes(Encoding.UTF8.GetBytes(body), contentType);

    /// <summary>A file part of a well-formed multipart form.</summary>
    public static MultipartFormDataContent Form(string part, byte[] file, string fileName = "file.dat", params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(content, part, fileName);
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        return form;
    }

    /// <summary>Deterministic noise with the odd comma and newline, for "binary garbage" bodies.</summary>
    public static byte[] Garbage(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A zip archive holding <paramref name="entries"/>, each with one byte of content.</summary>
    public static byte[] Zip(params string[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                using var stream = zip.CreateEntry(entry).Open();
                stream.WriteByte((byte)'x');
            }
        }

        return buffer.ToArray();
    }
}
