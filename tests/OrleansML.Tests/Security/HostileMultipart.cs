using System.Text;

namespace OrleansML.Tests.Security;

/// <summary>
/// Multipart bodies written byte by byte, so they can be malformed in ways <see cref="MultipartFormDataContent"/>
/// never produces: no boundary, a boundary that does not match, parts cut off, oversized headers, too many parts.
/// </summary>
public static class HostileMultipart
{
    private const string Boundary = "hostile-boundary";

    /// <summary>Malformed multipart bodies whose file part, where there is one, is named <paramref name="part"/>.</summary>
    public static IEnumerable<(string Case, Func<HttpContent> Content)> Malformed(string part)
    {
        var disposition = $"Content-Disposition: form-data; name=\"{part}\"; filename=\"f.dat\"";
        var whole = $"--{Boundary}\r\n{disposition}\r\n\r\nnot a model\r\n--{Boundary}--\r\n";
        return
        [
            ("missing boundary", () => Raw(whole, "multipart/form-data")),
            ("empty boundary", () => Raw(whole, "multipart/form-data; boundary=")),
            ("boundary mismatch", () => Raw(whole, "multipart/form-data; boundary=another")),
            ("boundary over 70 characters", () => Raw(whole.Replace(Boundary, new string('b', 200)), $"multipart/form-data; boundary={new string('b', 200)}")),
            ("truncated part", () => Raw($"--{Boundary}\r\n{disposition}\r\n\r\nnot a mo", Type)),
            ("truncated part headers", () => Raw($"--{Boundary}\r\nContent-Dispos", Type)),
            ("no closing boundary", () => Raw($"--{Boundary}\r\n{disposition}\r\n\r\nnot a model\r\n--{Boundary}", Type)),
            ("part without Content-Disposition", () => Raw($"--{Boundary}\r\nContent-Type: text/plain\r\n\r\nx\r\n--{Boundary}--\r\n", Type)),
            ("part headers of 20 KB", () => Raw($"--{Boundary}\r\n{disposition}\r\nX-Pad: {new string('p', 20_000)}\r\n\r\nx\r\n--{Boundary}--\r\n", Type)),
            ("2000 parts", () => Raw(string.Concat(Enumerable.Range(0, 2000).Select(i => $"--{Boundary}\r\nContent-Disposition: form-data; name=\"p{i}\"\r\n\r\nv\r\n")) + $"--{Boundary}--\r\n", Type)),
            ("part declares a huge Content-Length", () => Raw($"--{Boundary}\r\n{disposition}\r\nContent-Length: 99999999999999\r\n\r\nnot a model\r\n--{Boundary}--\r\n", Type)),
            ("no parts", () => Raw($"--{Boundary}--\r\n", Type)),
            ("preamble only", () => Raw("hello, no parts here", Type)),
            ("binary garbage", () => HostileInputs.Bytes(HostileInputs.Garbage(4096, seed: 1), Type)),
            ("empty body", () => Raw("", Type)),
        ];
    }

    /// <summary>A well-formed form whose file part carries <paramref name="fileName"/> verbatim, NUL and all.</summary>
    public static Func<HttpContent> FileNamed(string part, string fileName, string content) =>
        () => Raw($"--{Boundary}\r\nContent-Disposition: form-data; name=\"{part}\"; filename=\"{fileName}\"\r\n\r\n{content}\r\n--{Boundary}--\r\n", Type);

    private static string Type => $"multipart/form-data; boundary={Boundary}";

    private static HttpContent Raw(string body, string contentType) => HostileInputs.Bytes(Encoding.UTF8.GetBytes(body), contentType);
}
