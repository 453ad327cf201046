using Grpc.Core;
using Grpc.Net.Client;
using OrleansML.Api.Security;

namespace OrleansML.Tests.Security;

/// <summary>
/// The matrix over gRPC: the same credentials as REST (<c>x-api-key</c> metadata or <c>authorization: Bearer</c>) and
/// the same scopes; a missing or unknown credential is UNAUTHENTICATED, a key without the scope PERMISSION_DENIED.
/// </summary>
public sealed class AuthorizationMatrixGrpcTests(SecuredApiFixture api) : IClassFixture<SecuredApiFixture>, IDisposable
{
    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(api.Factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = api.Factory.Server.CreateHandler() });

    public void Dispose() => _channel.Dispose();

    [Theory]
    [MemberData(nameof(GrpcAuthorizationMatrix.Protected), "none", MemberType = typeof(GrpcAuthorizationMatrix))]
    public async Task Without_credentials_a_protected_method_is_UNAUTHENTICATED(string endpoint, string credential)
    {
        Assert.Equal("none", credential);
        var refusal = await Assert.ThrowsAsync<RpcException>(() => GrpcAuthorizationMatrix.Find(endpoint).Call(_channel, []));
        Assert.Equal(StatusCode.Unauthenticated, refusal.StatusCode);
    }

    [Theory]
    [MemberData(nameof(GrpcAuthorizationMatrix.Protected), "wrong-key", MemberType = typeof(GrpcAuthorizationMatrix))]
    public async Task An_unknown_key_or_an_invalid_token_is_UNAUTHENTICATED(string endpoint, string credential)
    {
        Assert.Equal("wrong-key", credential);
        var cell = GrpcAuthorizationMatrix.Find(endpoint);
        Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(() => cell.Call(_channel, Key("oml_not-a-key-0123456789abcdefghijklmnopq")))).StatusCode);
        var forged = SecuredApiFixture.Token(Scopes.Admin, signingKey: "a-different-signing-key-0123456789abcdefghij");
        Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(() => cell.Call(_channel, Bearer(forged)))).StatusCode);
    }

    [Theory]
    [MemberData(nameof(GrpcAuthorizationMatrix.Protected), "wrong-scope", MemberType = typeof(GrpcAuthorizationMatrix))]
    public async Task A_key_without_the_methods_scope_is_PERMISSION_DENIED(string endpoint, string credential)
    {
        Assert.Equal("wrong-scope", credential);
        var cell = GrpcAuthorizationMatrix.Find(endpoint);
        var wrong = cell.Scope == Scopes.Predict ? SecuredApiFixture.TrainKey : SecuredApiFixture.PredictTrainKey;
        var refusal = await Assert.ThrowsAsync<RpcException>(() => cell.Call(_channel, Key(wrong)));
        Assert.Equal(StatusCode.PermissionDenied, refusal.StatusCode);
    }

    [Theory]
    [MemberData(nameof(GrpcAuthorizationMatrix.Protected), "right-scope", MemberType = typeof(GrpcAuthorizationMatrix))]
    public async Task A_key_or_token_with_the_methods_scope_succeeds(string endpoint, string credential)
    {
        Assert.Equal("right-scope", credential);
        var cell = GrpcAuthorizationMatrix.Find(endpoint);
        await SucceedsAsync(cell, Key(cell.Scope == Scopes.Predict ? SecuredApiFixture.PredictKey : SecuredApiFixture.AdminKey));
        await SucceedsAsync(cell, Bearer(SecuredApiFixture.Token(cell.Scope!)));
    }

    private async Task SucceedsAsync(GrpcAuthorizationMatrix.Cell cell, Metadata credential)
    {
        if (cell.Success == StatusCode.OK)
        {
            await cell.Call(_channel, credential);
            return;
        }

        Assert.Equal(cell.Success, (await Assert.ThrowsAsync<RpcException>(() => cell.Call(_channel, credential))).StatusCode);
    }

    [Theory]
    [MemberData(nameof(GrpcAuthorizationMatrix.Open), MemberType = typeof(GrpcAuthorizationMatrix))]
    public Task Health_liveness_and_reflection_answer_without_credentials(string endpoint) =>
        SucceedsAsync(GrpcAuthorizationMatrix.Find(endpoint), []);

    private static Metadata Key(string key) => new() { { ApiKeyAuthenticationHandler.HeaderName, key } };

    private static Metadata Bearer(string token) => new() { { "authorization", $"Bearer {token}" } };
}
