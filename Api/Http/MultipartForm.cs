using Microsoft.AspNetCore.Http.Features;

namespace OrleansML.Api.Http;

/// <summary>
/// Reads a form body under a size limit: over the limit is a 413, and a body that is not well-formed multipart (no
/// boundary, one that does not match, a part cut off, oversized part headers, too many parts) is a 400 naming the
/// problem. The form reader reports those as <see cref="InvalidDataException"/> or <see cref="IOException"/>, which
/// are server faults to the exception handler: a truncated upload used to be a 500.
/// </summary>
public static class MultipartForm
{
    public static async Task<IFormCollection> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        RequestBody.Limit(request, limit);
        request.HttpContext.Features.Set<IFormFeature>(new FormFeature(request, new FormOptions { MultipartBodyLengthLimit = limit }));
        try
        {
            return await request.ReadFormAsync(cancellationToken);
        }
        catch (InvalidDataException exception) when (exception.Message.StartsWith("Multipart body length limit", StringComparison.Ordinal))
        {
            throw RequestBody.TooLarge(limit);
        }
        catch (InvalidDataException exception)
        {
            throw new BadHttpRequestException($"the multipart body is malformed: {exception.Message}");
        }
        catch (IOException exception) when (exception is not BadHttpRequestException)
        {
            // MultipartReader's "Unexpected end of Stream": the body ended before the part or its closing boundary did.
            throw new BadHttpRequestException("the multipart body ends before its closing boundary: a part is cut off or the boundary does not match the Content-Type's.");
        }
    }
}
