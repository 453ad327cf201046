using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using Inference;
using OrleansML.Api.Security;
using OrleansML.Tests.Security;
using static OrleansML.Tests.Grpc.GrpcTensors;

namespace OrleansML.Tests.Grpc;

/// <summary>
/// gRPC calls count against the same per-credential token bucket as REST: over the rate a call ends
/// RESOURCE_EXHAUSTED (gRPC's own code for a spent quota; retryable, unlike the HTTP 429 that generic gRPC clients
/// would read as UNAVAILABLE) with the wait in its message and a <c>retry-after</c> header, and other keys are served.
/// </summary>
public sealed class GrpcRateLimitTests(SecuredApiFixture api) : IClassFixture<SecuredApiFixture>
{
    [Fact]
    public async Task A_key_over_its_rate_gets_RESOURCE_EXHAUSTED_with_retry_after_while_other_keys_are_served()
    {
        var created = await api.Admin.PostAsJsonAsync("/api/auth/keys", new { name = "slow-grpc-client", scopes = new[] { "predict" }, requestsPerSecond = 0.5 });
        var key = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        using var channel = GrpcChannel.ForAddress(api.Factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = api.Factory.Server.CreateHandler() });
        var client = new GRPCInferenceService.GRPCInferenceServiceClient(channel);
        var request = Raw("m", ("input", [1, 4], [1, 2, 3, 4]));

        await client.ModelInferAsync(request, new Metadata { { ApiKeyAuthenticationHandler.HeaderName, key } });
        using var limited = client.ModelInferAsync(request, new Metadata { { ApiKeyAuthenticationHandler.HeaderName, key } });
        var refusal = await Assert.ThrowsAsync<RpcException>(() => limited.ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, refusal.StatusCode);
        Assert.Contains("rate limit exceeded for 'slow-grpc-client'", refusal.Status.Detail);
        Assert.NotNull((await limited.ResponseHeadersAsync).GetValue("retry-after"));

        var other = await client.ModelInferAsync(request, new Metadata { { ApiKeyAuthenticationHandler.HeaderName, SecuredApiFixture.PredictKey } });
        Assert.Single(other.RawOutputContents);
    }
}
