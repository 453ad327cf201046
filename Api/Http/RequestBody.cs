using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http.Features;

namespace OrleansML.Api.Http;

/// <summary>
/// Reads request bodies under a size limit, so an oversized body is a 413 before it is parsed, and a body that is
/// not the expected media type, empty, not UTF-8, malformed or holding lone surrogates is a 4xx that says which.
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

        if (!Utf8.IsValid(bytes))
        {
            throw new BadHttpRequestException("the request body is not UTF-8, as JSON must be.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException exception)
        {
            throw new BadHttpRequestException($"the request body is not valid JSON: {exception.Message}");
        }

        // A \u escape of a lone surrogate parses, but reading it as text throws InvalidOperationException (a 500)
        // wherever a reader looks at that name or string; only bodies with escapes need the walk.
        if (bytes.AsSpan().IndexOf("\\u"u8) >= 0 && InvalidText(document.RootElement, "$") is { } path)
        {
            document.Dispose();
            throw new BadHttpRequestException($"the request body has an invalid \\u escape (a lone UTF-16 surrogate) at {path}.");
        }

        return document;
    }

    /// <summary>The path of the first property name or string that is not valid UTF-16 once unescaped, or null.</summary>
    private static string? InvalidText(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Readable(() => element.GetString()) ? null : path;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (InvalidText(item, $"{path}[{index++}]") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!Readable(() => property.Name))
                    {
                        return $"{path} (a property name)";
                    }

                    if (InvalidText(property.Value, $"{path}.{property.Name}") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static bool Readable(Func<string?> read)
    {
        try
        {
            read();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
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
