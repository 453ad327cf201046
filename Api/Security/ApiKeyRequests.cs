using Mediator;
using OrleansML.Errors;
using OrleansML.Security;
using OrleansML.Serving;

namespace OrleansML.Api.Security;

public sealed record CreateApiKey(string Name, string[] Scopes, double? RequestsPerSecond) : IRequest<CreatedApiKey>;

public sealed record ListApiKeys : IRequest<ApiKeyView[]>;

public sealed record RevokeApiKey(string Name) : IRequest<ApiKeyView>;

/// <summary>A key as listed: never its secret or hash.</summary>
public sealed record ApiKeyView(string Name, string[] Scopes, double? RequestsPerSecond, DateTimeOffset Created)
{
    public static ApiKeyView From(ApiKeyRecord key) => new(key.Name, key.Scopes, key.RequestsPerSecond, key.Created);
}

/// <summary>A new key with its secret, which is shown this once and kept only as a hash.</summary>
public sealed record CreatedApiKey(string Name, string[] Scopes, double? RequestsPerSecond, DateTimeOffset Created, string Key);

public sealed record CreateApiKeyBody(string Name, string[] Scopes, double? RequestsPerSecond = null);

public sealed class CreateApiKeyHandler(IClusterClient client, ApiKeyDirectory directory) : IRequestHandler<CreateApiKey, CreatedApiKey>
{
    public async ValueTask<CreatedApiKey> Handle(CreateApiKey request, CancellationToken cancellationToken)
    {
        ResourceNames.Validate(request.Name, "API key");
        if (request.Scopes.Length == 0 || request.Scopes.Any(s => !Scopes.IsKnown(s)))
        {
            throw PlatformException.Invalid($"scopes must list one or more of {string.Join(", ", Scopes.All)}.");
        }

        if (request.RequestsPerSecond is { } rate && (!double.IsFinite(rate) || rate <= 0))
        {
            throw PlatformException.Invalid("requestsPerSecond must be a number greater than 0.");
        }

        if (directory.IsConfiguredName(request.Name))
        {
            throw PlatformException.Conflict($"an API key named '{request.Name}' already exists in configuration.");
        }

        var secret = ApiKeySecret.Generate();
        var hash = ApiKeySecret.Hash(secret);
        var key = await client.GetGrain<IApiKeyRegistryGrain>(0).AddAsync(
            new ApiKeyRecord(request.Name, hash, [.. request.Scopes.Distinct()], request.RequestsPerSecond, DateTimeOffset.UtcNow));
        directory.Forget(hash);
        return new CreatedApiKey(key.Name, key.Scopes, key.RequestsPerSecond, key.Created, secret);
    }
}

public sealed class ListApiKeysHandler(IClusterClient client) : IRequestHandler<ListApiKeys, ApiKeyView[]>
{
    public async ValueTask<ApiKeyView[]> Handle(ListApiKeys request, CancellationToken cancellationToken) =>
        (await client.GetGrain<IApiKeyRegistryGrain>(0).ListAsync()).Select(ApiKeyView.From).ToArray();
}

public sealed class RevokeApiKeyHandler(IClusterClient client, ApiKeyDirectory directory) : IRequestHandler<RevokeApiKey, ApiKeyView>
{
    public async ValueTask<ApiKeyView> Handle(RevokeApiKey request, CancellationToken cancellationToken)
    {
        var key = await client.GetGrain<IApiKeyRegistryGrain>(0).RevokeAsync(request.Name);
        directory.Forget(key.Sha256);
        return ApiKeyView.From(key);
    }
}
