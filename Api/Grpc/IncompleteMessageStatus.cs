using System.Globalization;
using Grpc.Core;

namespace OrleansML.Api.Grpc;

/// <summary>
/// A request stream that ends inside a message (inside its 5-byte prefix, or short of the length the prefix
/// announced) is the caller's fault, but Grpc.AspNetCore ends the call with INTERNAL "Incomplete message." before any
/// service code runs. It answers such a call trailers-only (the status in the response headers), so the status is
/// corrected as the headers go out: INVALID_ARGUMENT, saying what was wrong.
/// </summary>
internal static class IncompleteMessageStatus
{
    private const string FrameworkMessage = "Incomplete message.";

    public static WebApplication UseIncompleteMessageStatus(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true)
            {
                context.Response.OnStarting(() =>
                {
                    var headers = context.Response.Headers;
                    if (headers["grpc-status"] == ((int)StatusCode.Internal).ToString(CultureInfo.InvariantCulture)
                        && Uri.UnescapeDataString(headers["grpc-message"].ToString()) == FrameworkMessage)
                    {
                        headers["grpc-status"] = ((int)StatusCode.InvalidArgument).ToString(CultureInfo.InvariantCulture);
                        headers["grpc-message"] = Uri.EscapeDataString("incomplete message: the request stream ended before the gRPC message its 5-byte prefix announced.");
                    }

                    return Task.CompletedTask;
                });
            }

            return next(context);
        });
        return app;
    }
}
