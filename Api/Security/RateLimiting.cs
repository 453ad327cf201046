using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using OrleansML.Api.Http;

namespace OrleansML.Api.Security;

public static class RateLimiting
{
    /// <summary>
    /// One token bucket per credential (API key name or JWT subject), sized from the key's own rate or the default.
    /// Rejections are 429 with Retry-After in the error shape of the route's protocol; on gRPC, RESOURCE_EXHAUSTED.
    /// </summary>
    public static IServiceCollection AddOrleansMLRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var user = context.User;
                if (user.Identity is not { IsAuthenticated: true, Name: { } name })
                {
                    return RateLimitPartition.GetNoLimiter("anonymous");
                }

                var defaults = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                var rate = RateOf(user) ?? defaults.RequestsPerSecond;
                return rate <= 0
                    ? RateLimitPartition.GetNoLimiter($"{user.Identity.AuthenticationType}:{name}")
                    : RateLimitPartition.GetTokenBucketLimiter($"{user.Identity.AuthenticationType}:{name}", _ => Bucket(rate, defaults.BurstSeconds));
            });
            o.OnRejected = WriteRejectionAsync;
        });
        return services;
    }

    private static TokenBucketRateLimiterOptions Bucket(double rate, double burstSeconds)
    {
        // Refill every 100 ms so a low rate recovers smoothly instead of once a second.
        var period = TimeSpan.FromMilliseconds(100);
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, (int)Math.Ceiling(rate * Math.Max(burstSeconds, 0.1))),
            TokensPerPeriod = Math.Max(1, (int)Math.Round(rate * period.TotalSeconds)),
            ReplenishmentPeriod = rate * period.TotalSeconds >= 1 ? period : TimeSpan.FromSeconds(1 / rate),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }

    private static double? RateOf(ClaimsPrincipal user) =>
        user.FindFirst(ApiKeyAuthenticationHandler.RateClaim)?.Value is { } value
            ? double.Parse(value, CultureInfo.InvariantCulture)
            : null;

    private static async ValueTask WriteRejectionAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var message = $"rate limit exceeded for '{context.User.Identity?.Name}'; retry after {seconds} s.";
        if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true)
        {
            // gRPC answers HTTP 200 with the status in a trailers-only response: RESOURCE_EXHAUSTED, as gRPC's own quotas do.
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/grpc";
            context.Response.Headers["grpc-status"] = ((int)global::Grpc.Core.StatusCode.ResourceExhausted).ToString(CultureInfo.InvariantCulture);
            context.Response.Headers["grpc-message"] = Uri.EscapeDataString(message);
            return;
        }

        if (ApiErrors.IsProtocolPath(context.Request.Path))
        {
            await context.Response.WriteAsJsonAsync(new ProtocolError(message), cancellationToken);
            return;
        }

        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = StatusCodes.Status429TooManyRequests, Title = "Too many requests", Detail = message },
        });
    }
}
