using System.Globalization;
using Grpc.Core;

namespace OrleansML.Api.Grpc;

/// <summary>
/// Frames no client should send are the caller's fault, but Grpc.AspNetCore ends such a call with INTERNAL before
/// any service code runs: a stream that ends inside a message (inside its 5-byte prefix, or short of the length the
/// prefix announced), or a compressed message without a <c>grpc-encoding</c>. It answers those calls trailers-only
/// (the status in the response headers), so the status is corrected as the headers go out: INVALID_ARGUMENT,
/// saying what was wrong.
/// </summary>
internal static class FramingErrorStatus
{
    private static readonly Dictionary<string, string> Corrections = new(StringComparer.Ordinal)
    {
        ["Incomplete message."] = "incomplete message: the request stream ended before the gRPC message its 5-byte prefix announced.",
        ["Request did not include grpc-encoding value with compressed message."] = "the message is flagged compressed but the request names no grpc-encoding.",
    };

    private static readonly string Internal = ((int)StatusCode.Internal).ToString(CultureInfo.InvariantCulture);

    public static WebApplication UseFramingErrorStatus(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true)
            {
                context.Response.OnStarting(() =>
                {
                    var headers = context.Response.Headers;
                    if (headers["grpc-status"] == Internal && Corrections.TryGetValue(Uri.UnescapeDataString(headers["grpc-message"].ToString()), out var message))
                    {
                        headers["grpc-status"] = ((int)StatusCode.InvalidArgument).ToString(CultureInfo.InvariantCulture);
                        headers["grpc-message"] = Uri.EscapeDataString(message);
                    }

                    return Task.CompletedTask;
                });
            }

            return next(context);
        });
        return app;
    }
}
