using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;

namespace OrleansML.Tests.Grpc;

/// <summary>
/// gRPC calls framed by hand, as a stock client frames them (<c>application/grpc</c>, <c>te: trailers</c>, the
/// 5-byte message prefix), for bodies no generated client would send; the status comes from the trailers, or from
/// the headers of a trailers-only answer.
/// </summary>
internal static class GrpcFrames
{
    /// <summary>gRPC's length-prefixed message: a compression flag byte (0) and the length as 4 big-endian bytes.</summary>
    public static byte[] Frame(byte[] message, int? declaredLength = null)
    {
        var framed = new byte[5 + message.Length];
        BinaryPrimitives.WriteInt32BigEndian(framed.AsSpan(1), declaredLength ?? message.Length);
        message.CopyTo(framed, 5);
        return framed;
    }

    public static async Task<(string? Status, string? Message)> CallAsync(HttpClient client, string route, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, route) { Version = HttpVersion.Version20, Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        using var response = await client.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        string? Read(string name) =>
            response.TrailingHeaders.TryGetValues(name, out var t) ? t.Single()
            : response.Headers.TryGetValues(name, out var h) ? h.Single() : null;
        return (Read("grpc-status"), Read("grpc-message") is { } m ? Uri.UnescapeDataString(m) : null);
    }
}
