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
    public static async Task<JsonDocument> ReadJsonAsync(HttpRequest request, long limit, CancellationToken cancellationToken) =>
        ParseJson(await ReadJsonBytesAsync(request, limit, cancellationToken));

    /// <summary>The bytes of a JSON body (415 for another media type), not yet parsed.</summary>
    public static Task<byte[]> ReadJsonBytesAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            throw new BadHttpRequestException(
                $"expected a JSON body (Content-Type: application/json), got '{request.ContentType ?? "none"}'.",
                StatusCodes.Status415UnsupportedMediaType);
        }

        return ReadBytesAsync(request, limit, cancellationToken);
    }

    /// <summary>Parses JSON bytes, refusing an empty body, text that is not UTF-8, malformed JSON and lone surrogates with a 400.</summary>
    public static JsonDocument ParseJson(ReadOnlyMemory<byte> bytes)
    {
        if (bytes.Length == 0)
        {
            throw new BadHttpRequestException("the request body is empty; expected a JSON object.");
        }

        if (!Utf8.IsValid(bytes.Span))
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
        if (bytes.Span.IndexOf("\\u"u8) >= 0 && InvalidText(document.RootElement, "$") is { } path)
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

    /// <summary>
    /// The whole body, at most <paramref name="limit"/> bytes (after any Content-Encoding is undone), read straight
    /// into one array when its length is declared. A body over the limit is a 413 once the limit is passed, so a
    /// compressed body is never inflated past it.
    /// </summary>
    public static async Task<byte[]> ReadBytesAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        Limit(request, limit);
        var encoded = request.Headers.ContentEncoding.Count > 0;
        if (request.ContentLength is { } length && !encoded)
        {
            // Filled from the body before anything reads it (a short body is trimmed to what arrived): not zeroed first.
            var exact = GC.AllocateUninitializedArray<byte>(checked((int)length));
            var filled = 0;
            int read;
            while (filled < exact.Length && (read = await request.Body.ReadAsync(exact.AsMemory(filled), cancellationToken)) > 0)
            {
                filled += read;
            }

            var probe = new byte[1];
            if (filled < exact.Length || await request.Body.ReadAsync(probe, cancellationToken) == 0)
            {
                return filled == exact.Length ? exact : exact[..filled];
            }

            // More than declared (a decoding middleware left the encoded length): read the rest under the limit.
            var rest = new MemoryStream();
            rest.Write(exact);
            rest.Write(probe);
            return await ReadRestAsync(request, rest, limit, cancellationToken);
        }

        return await ReadRestAsync(request, new MemoryStream(), limit, cancellationToken);
    }

    private static async Task<byte[]> ReadRestAsync(HttpRequest request, MemoryStream buffer, long limit, CancellationToken cancellationToken)
    {
        using var owned = buffer;
        var chunk = new byte[81920];
        int count;
        while ((count = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + count > limit)
            {
                throw TooLarge(limit);
            }

            buffer.Write(chunk, 0, count);
        }

        return buffer.ToArray();
    }
}
