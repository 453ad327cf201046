using Microsoft.AspNetCore.Diagnostics;
using OrleansML.Errors;

namespace OrleansML.Api.Hosting;

/// <summary>Answers a <see cref="PlatformException"/> from any handler as RFC 7807 problem details: 400, 404 or 409 with its message.</summary>
public sealed class PlatformExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not PlatformException platform)
        {
            return false;
        }

        httpContext.Response.StatusCode = platform.Kind switch
        {
            ErrorKind.NotFound => StatusCodes.Status404NotFound,
            ErrorKind.Conflict => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status400BadRequest,
        };
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = httpContext.Response.StatusCode, Title = platform.Kind.ToString(), Detail = platform.Message },
        });
    }
}
