using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace OrleansML.Api.Http;

/// <summary>
/// Reads request bodies under a size limit, so an oversized body is a 413 before it is parsed, and a body that is
/// not the expected media type, empty or malformed is a 4xx that says which.
/// </summary>
public static class RequestBody
{
    /// <summary>Parses a JSON body of at most <paramref name="limit"/> bytes; the caller disposes the document.</summary>
    public static async Task<JsonDocument> ReadJsonAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            throw new BadHttpRequestException(
                $"expected a JSON body (Content-Type: application/json), got '{request.ContentType ?? "none"}'.",
                StatusCodes.Status415UnsupportedMediaType);
        }

        var bytes = await ReadAsync(request, limit, cancellationToken);
        if (bytes.Length == 0)
        {
            throw new BadHttpRequestException("the request body is empty; expected a JSON object.");
        }

        try
        {
            return JsonDocument.Parse(bytes);
        }
        catch (JsonException exception)
        {
            throw new BadHttpRequestException($"the request body is not valid JSON: {exception.Message}");
        }
    }

    /// <summary>Raises the server's body limit for this request to <paramref name="limit"/> and refuses a declared length over it.</summary>
    public static void Limit(HttpRequest request, long limit)
    {
        if (request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }
    }

    public static BadHttpRequestException TooLarge(long limit) =>
        new($"the request body is larger than the limit of {limit} bytes.", StatusCodes.Status413PayloadTooLarge);

    private static async Task<byte[]> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        Limit(request, limit);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw TooLarge(limit);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
