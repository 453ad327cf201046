using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace OrleansML.Tests.Security;

/// <summary>
/// The role × endpoint matrix: every protected endpoint answers 401 without credentials, 403 to a key without its
/// scope, and succeeds with the least key that has it; health and the OpenAPI document stay anonymous.
/// </summary>
public sealed class AuthorizationMatrixTests(SecuredApiFixture api) : IClassFixture<SecuredApiFixture>
{
    [Fact]
    public void The_matrix_covers_every_endpoint_the_api_maps()
    {
        var mapped = api.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .ToHashSet();
        // gRPC methods are endpoints too (POST /package.Service/Method): their cells are the matrix's gRPC section.
        var covered = AuthorizationMatrix.Cells.Select(c => c.Endpoint).Concat(GrpcAuthorizationMatrix.Cells.Select(c => c.Endpoint)).ToHashSet();

        Assert.True(!mapped.Except(covered).Any(), "not in the matrix: " + string.Join(", ", mapped.Except(covered)));
        Assert.True(!covered.Except(mapped).Any(), "not mapped: " + string.Join(", ", covered.Except(mapped)));
    }

    [Theory]
    [MemberData(nameof(AuthorizationMatrix.Protected), "none", MemberType = typeof(AuthorizationMatrix))]
    public async Task Without_credentials_a_protected_endpoint_answers_401_with_a_challenge(string endpoint, string credential)
    {
        Assert.Equal("none", credential);
        var cell = AuthorizationMatrix.Find(endpoint);
        using var client = api.Anonymous();
        using var response = await client.SendAsync(await cell.Request(api, false), HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "ApiKey");
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Theory]
    [MemberData(nameof(AuthorizationMatrix.Protected), "wrong-scope", MemberType = typeof(AuthorizationMatrix))]
    public async Task A_key_without_the_endpoints_scope_gets_403(string endpoint, string credential)
    {
        Assert.Equal("wrong-scope", credential);
        var cell = AuthorizationMatrix.Find(endpoint);
        using var client = api.WithKey(AuthorizationMatrix.WrongKey(cell));
        using var response = await client.SendAsync(await cell.Request(api, false), HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(AuthorizationMatrix.Protected), "right-scope", MemberType = typeof(AuthorizationMatrix))]
    public async Task A_key_with_the_endpoints_scope_succeeds(string endpoint, string credential)
    {
        Assert.Equal("right-scope", credential);
        var cell = AuthorizationMatrix.Find(endpoint);
        using var client = api.WithKey(AuthorizationMatrix.RightKey(cell));
        using var response = await client.SendAsync(await cell.Request(api, true), HttpCompletionOption.ResponseHeadersRead);

        Assert.True(response.IsSuccessStatusCode, $"{endpoint}: {(int)response.StatusCode} {await ReadAsync(response)}");
    }

    [Theory]
    [MemberData(nameof(AuthorizationMatrix.Open), MemberType = typeof(AuthorizationMatrix))]
    public async Task Health_and_the_api_description_answer_without_credentials(string endpoint)
    {
        var cell = AuthorizationMatrix.Find(endpoint);
        using var client = api.Anonymous();
        using var response = await client.SendAsync(await cell.Request(api, true));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    // Server-sent event streams stay open; the status line is what the matrix asserts.
    private static async Task<string> ReadAsync(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType == "text/event-stream" ? "" : await response.Content.ReadAsStringAsync();
}
