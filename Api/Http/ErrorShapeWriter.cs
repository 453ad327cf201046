using System.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace OrleansML.Api.Http;

/// <summary>
/// Writes the errors raised through <see cref="IProblemDetailsService"/> (status code pages for 404 and 405, the
/// exception handler, <c>TypedResults.Problem</c>) where the default writer would not: on the KServe V2 and TF
/// Serving routes as their <c>{"error": "..."}</c>, and elsewhere as problem details even when the Accept header
/// excludes JSON. The default writer declines such a request, which left a 4xx with an empty body (or a text/plain
/// one) and, from the exception handler, turned a client error into a 500.
/// </summary>
public sealed class ErrorShapeWriter(IOptions<JsonOptions> json) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) =>
        ApiErrors.IsProtocolPath(context.HttpContext.Request.Path) || !AcceptsJson(context.HttpContext.Request);

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        var status = problem.Status ?? http.Response.StatusCode;
        problem.Status = status;
        problem.Title ??= ReasonPhrases.GetReasonPhrase(status);
        if (ApiErrors.IsProtocolPath(http.Request.Path))
        {
            var message = problem.Detail ?? $"{problem.Title}: {http.Request.Method} {http.Request.Path}";
            return new ValueTask(http.Response.WriteAsJsonAsync(new ProtocolError(message), json.Value.SerializerOptions, http.RequestAborted));
        }

        problem.Extensions.TryAdd("traceId", Activity.Current?.Id ?? http.TraceIdentifier);
        return new ValueTask(http.Response.WriteAsJsonAsync(problem, json.Value.SerializerOptions, "application/problem+json", http.RequestAborted));
    }

    /// <summary>As the default writer decides: no Accept header, or one that admits JSON or problem+json.</summary>
    private static bool AcceptsJson(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        return accept.Count == 0 || accept.Any(a => a.MediaType.Value is "*/*" or "application/*" or "application/json" or "application/problem+json");
    }
}
