using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace OrleansML.Api.Security;

/// <summary>
/// Describes the credentials in the OpenAPI document: the <c>X-Api-Key</c> header and, when configured, JWT bearer,
/// and on each operation the scope it needs, so generated clients and the Scalar reference send the right header.
/// </summary>
public sealed class SecuritySchemesTransformer(IOptions<AuthOptions> auth) : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    private const string BearerScheme = "Bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKeyAuthenticationHandler.SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyAuthenticationHandler.HeaderName,
            Description = "An OrleansML API key with the scope the operation names (predict, train or admin).",
        };
        if (auth.Value.Jwt.IsConfigured)
        {
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A JWT whose scope, scp or roles claim grants the operation's scope.",
            };
        }

        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAllowAnonymous>().Any() || context.Document is null)
        {
            return Task.CompletedTask;
        }

        var scope = metadata.OfType<IAuthorizeData>().LastOrDefault()?.Policy ?? Scopes.Admin;
        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyAuthenticationHandler.SchemeName, context.Document)] = [scope] });
        if (auth.Value.Jwt.IsConfigured)
        {
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [scope] });
        }

        return Task.CompletedTask;
    }
}
