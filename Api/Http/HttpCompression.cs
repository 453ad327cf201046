using System.IO.Compression;
using Microsoft.AspNetCore.RequestDecompression;
using Microsoft.AspNetCore.ResponseCompression;

namespace OrleansML.Api.Http;

/// <summary>
/// <c>Content-Encoding: gzip</c> and <c>deflate</c> request bodies and <c>Accept-Encoding</c> responses, as Triton
/// offers them. HTTP's "deflate" is the zlib format (RFC 1950, what Triton's clients send); ASP.NET Core's own
/// deflate providers read and write raw DEFLATE, so both are replaced here. Request bodies are inflated as they are
/// read, under the body limit: a small body that inflates past it is a 413 before it is all inflated.
/// </summary>
public static class HttpCompression
{
    public static IServiceCollection AddOrleansMLCompression(this IServiceCollection services)
    {
        services.AddRequestDecompression(o => o.DecompressionProviders["deflate"] = new ZlibDecompression());
        services.AddResponseCompression(o =>
        {
            o.Providers.Add<GzipCompressionProvider>();
            o.Providers.Add<ZlibCompression>();
            o.MimeTypes = ["application/json", "application/octet-stream", "application/problem+json"];
        });
        services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        return services;
    }

    private sealed class ZlibDecompression : IDecompressionProvider
    {
        public Stream GetDecompressionStream(Stream stream) => new ZLibStream(stream, CompressionMode.Decompress, leaveOpen: true);
    }

    private sealed class ZlibCompression : ICompressionProvider
    {
        public string EncodingName => "deflate";

        public bool SupportsFlush => true;

        public Stream CreateStream(Stream outputStream) => new ZLibStream(outputStream, CompressionLevel.Fastest, leaveOpen: true);
    }
}
