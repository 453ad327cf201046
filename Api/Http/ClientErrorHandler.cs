using Microsoft.AspNetCore.Diagnostics;

namespace OrleansML.Api.Http;

/// <summary>
/// Answers client errors that escape an endpoint, above all minimal-API binding failures (malformed JSON, an empty
/// or wrongly typed body), with their 4xx status instead of a 500, in the error shape of the route's protocol
/// (<see cref="ErrorShapeWriter"/> writes the KServe and TF Serving shape).
/// </summary>
public sealed class ClientErrorHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!ApiErrors.IsClientError(exception))
        {
            return false;
        }

        var status = ApiErrors.StatusOf(exception);
        httpContext.Response.StatusCode = status;
        // A cluster that loses or gains a silo is back within a second; a store that refuses waits for the operator.
        if (ApiErrors.IsClusterUnavailable(exception))
        {
            httpContext.Response.Headers.RetryAfter = "1";
        }

        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Detail = Detail(exception) },
        });
    }

    /// <summary>A binding failure's own message says only which parameter; the JSON reader's says which field and why.</summary>
    private static string Detail(Exception exception) =>
        exception is BadHttpRequestException { InnerException: System.Text.Json.JsonException json }
            ? $"{exception.Message.TrimEnd('.')}: {json.Message}"
            : exception.Message;
}
