using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.Tokens;
using OrleansML.Hosting;

namespace OrleansML.Api.Security;

public static class SecurityServiceCollectionExtensions
{
    private const string CombinedScheme = "OrleansML";

    /// <summary>
    /// Authentication (API keys and JWT bearer), the <c>predict</c>, <c>train</c> and <c>admin</c> policies, and the
    /// per-credential rate limit. Any endpoint that names no policy falls back to admin, so a new endpoint is closed
    /// until someone decides otherwise. Without credentials configured the API is open only in the embedded
    /// Development loop or with <c>OrleansML:Auth:AllowAnonymous</c>; anywhere else startup stops here.
    /// </summary>
    public static WebApplicationBuilder AddOrleansMLSecurity(this WebApplicationBuilder builder)
    {
        var auth = builder.Configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>() ?? new AuthOptions();
        builder.Services.Configure<AuthOptions>(builder.Configuration.GetSection(AuthOptions.SectionName));
        builder.Services.Configure<RateLimitOptions>(builder.Configuration.GetSection(RateLimitOptions.SectionName));
        Validate(auth);

        var open = !auth.HasCredentials;
        var mode = builder.Configuration.GetSection(OrleansMLOptions.SectionName).Get<OrleansMLOptions>()?.Mode ?? HostingMode.Embedded;
        if (open && !auth.AllowAnonymous && !(mode == HostingMode.Embedded && builder.Environment.IsDevelopment()))
        {
            throw new InvalidOperationException(
                $"OrleansML refuses to start without authentication ({mode} mode, environment '{builder.Environment.EnvironmentName}'). " +
                "Configure API keys (OrleansML:Auth:ApiKeys:0:Name, :Sha256, :Scopes) or JWT bearer (OrleansML:Auth:Jwt:Authority or :SigningKey), " +
                "or set OrleansML:Auth:AllowAnonymous=true to run open on purpose. See docs/security.md.");
        }

        builder.Services.AddSingleton(new SecurityMode(open));
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<ApiKeyDirectory>();

        var authentication = builder.Services.AddAuthentication(CombinedScheme)
            .AddPolicyScheme(CombinedScheme, "API key or JWT bearer", o => o.ForwardDefaultSelector = context =>
                auth.Jwt.IsConfigured && context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? JwtBearerDefaults.AuthenticationScheme
                    : ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        if (auth.Jwt.IsConfigured)
        {
            authentication.AddJwtBearer(o => ConfigureJwt(o, auth.Jwt));
        }

        builder.Services.AddAuthorization(o =>
        {
            foreach (var scope in Scopes.All)
            {
                o.AddPolicy(scope, open
                    ? policy => policy.RequireAssertion(_ => true)
                    : policy => policy.RequireAuthenticatedUser().RequireAssertion(c => ScopeClaims.Grants(c.User, scope)));
            }

            if (!open)
            {
                o.FallbackPolicy = o.GetPolicy(Scopes.Admin);
            }
        });

        builder.Services.AddOrleansMLRateLimiting();
        return builder;
    }

    /// <summary>
    /// Authentication, the caller's name for the model history (<see cref="ChangeActorMiddleware"/>), authorization and
    /// rate limiting, in that order, and the warning when the API runs open.
    /// </summary>
    public static WebApplication UseOrleansMLSecurity(this WebApplication app)
    {
        if (app.Services.GetRequiredService<SecurityMode>().Open)
        {
            app.Logger.LogWarning(
                "OrleansML API is running WITHOUT authentication: every endpoint is open to anyone who can reach it. " +
                "Configure OrleansML:Auth:ApiKeys or OrleansML:Auth:Jwt before exposing it (docs/security.md).");
        }

        app.UseAuthentication();
        app.UseChangeActor();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }

    private static void ConfigureJwt(JwtBearerOptions options, JwtSettings jwt)
    {
        // Keep the token's own claim names ("scope", "sub") instead of the legacy WS-Federation URIs.
        options.MapInboundClaims = false;
        options.TokenValidationParameters.NameClaimType = "sub";
        if (!string.IsNullOrWhiteSpace(jwt.Authority))
        {
            options.Authority = jwt.Authority;
        }

        if (!string.IsNullOrWhiteSpace(jwt.SigningKey))
        {
            options.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(jwt.SigningKey));
        }

        options.TokenValidationParameters.ValidateAudience = !string.IsNullOrWhiteSpace(jwt.Audience);
        options.TokenValidationParameters.ValidAudience = jwt.Audience;
        options.TokenValidationParameters.ValidateIssuer = !string.IsNullOrWhiteSpace(jwt.Issuer);
        options.TokenValidationParameters.ValidIssuer = jwt.Issuer;
    }

    private static void Validate(AuthOptions auth)
    {
        var problems = new List<string>();
        foreach (var (key, index) in auth.ApiKeys.Select((k, i) => (k, i)))
        {
            var at = $"OrleansML:Auth:ApiKeys:{index}";
            if (string.IsNullOrWhiteSpace(key.Name))
            {
                problems.Add($"{at}:Name is empty.");
            }

            if (!ApiKeySecret.IsHash(key.Sha256))
            {
                problems.Add($"{at}:Sha256 must be the key's SHA-256 as 64 hex digits (printf %s \"$KEY\" | sha256sum), never the key itself.");
            }

            if (key.Scopes.Count == 0 || key.Scopes.Any(s => !Scopes.IsKnown(s)))
            {
                problems.Add($"{at}:Scopes must list one or more of {string.Join(", ", Scopes.All)}.");
            }

            if (key.RequestsPerSecond is <= 0)
            {
                problems.Add($"{at}:RequestsPerSecond must be greater than 0.");
            }
        }

        problems.AddRange(auth.ApiKeys.GroupBy(k => k.Name).Where(g => g.Count() > 1).Select(g => $"API key name '{g.Key}' is configured twice."));
        if (auth.Jwt.SigningKey is { } signingKey && !string.IsNullOrWhiteSpace(signingKey) && Encoding.UTF8.GetByteCount(signingKey) < 32)
        {
            problems.Add("OrleansML:Auth:Jwt:SigningKey must be at least 32 bytes (HMAC-SHA256).");
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException("OrleansML authentication is misconfigured: " + string.Join(" ", problems));
        }
    }
}

/// <summary>Whether the API runs without authentication (development or an explicit opt-out).</summary>
public sealed record SecurityMode(bool Open);
