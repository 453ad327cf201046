using System.Buffers;
using Microsoft.Net.Http.Headers;
using OrleansML.Api.Http;
using OrleansML.Datasets;
using OrleansML.Errors;

namespace OrleansML.Api.Datasets;

/// <summary>
/// An upload's body and its format: a multipart part named <c>file</c> or the raw body, told apart as Parquet or
/// CSV by its media type, its file name or its first four bytes (<c>PAR1</c>), which are looked at, not consumed.
/// </summary>
public static class DatasetUploadBody
{
    public static async Task<(Stream Body, DatasetFormat Format)> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        RequestBody.Limit(request, limit);
        if (request.HasFormContentType)
        {
            // Multipart files are buffered to a temporary file by ASP.NET Core, never to memory, so the part seeks.
            var file = (await MultipartForm.ReadAsync(request, limit, cancellationToken)).Files["file"]
                ?? throw PlatformException.Invalid("the multipart upload has no part named 'file'.");
            var stream = file.OpenReadStream();
            var head = new byte[DatasetFormats.ParquetMagic.Length];
            var read = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
            stream.Position = 0;
            return (stream, DatasetFormats.Detect(MediaType(file.ContentType), file.FileName, head.AsSpan(0, read)));
        }

        var body = request.BodyReader;
        var peeked = await body.ReadAtLeastAsync(DatasetFormats.ParquetMagic.Length, cancellationToken);
        var first = BuffersExtensions.ToArray(peeked.Buffer.Slice(0, Math.Min(peeked.Buffer.Length, DatasetFormats.ParquetMagic.Length)));
        body.AdvanceTo(peeked.Buffer.Start);
        return (body.AsStream(), DatasetFormats.Detect(MediaType(request.ContentType), null, first));
    }

    private static string? MediaType(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed) ? parsed.MediaType.Value?.ToLowerInvariant() : null;
}
