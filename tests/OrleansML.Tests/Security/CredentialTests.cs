using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansML.Api.Security;

namespace OrleansML.Tests.Security;

/// <summary>API keys (configured and created through the admin endpoint), JWT bearer tokens, and per-key rate limits.</summary>
public sealed class CredentialTests(SecuredApiFixture api) : IClassFixture<SecuredApiFixture>
{
    private static readonly object Rows = new { inputs = new[] { 1, 2, 3, 4 } };

    [Fact]
    public async Task An_unknown_api_key_is_401_and_names_no_secret()
    {
        using var client = api.WithKey("oml_not-a-key");
        var response = await client.PostAsJsonAsync("/api/models/m/predict", Rows);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("oml_not-a-key", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_jwt_with_the_predict_scope_predicts_but_cannot_administer()
    {
        using var client = api.WithToken(SecuredApiFixture.Token("predict"));

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/models/m/predict", Rows)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/cluster")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/datasets")).StatusCode);
    }

    [Fact]
    public async Task A_jwt_granting_several_scopes_or_admin_reaches_their_endpoints()
    {
        using var several = api.WithToken(SecuredApiFixture.Token("predict train"));
        Assert.Equal(HttpStatusCode.OK, (await several.GetAsync("/api/datasets")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await several.GetAsync("/v2/models/m")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await several.GetAsync("/api/cluster")).StatusCode);

        using var admin = api.WithToken(SecuredApiFixture.Token("admin"));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/cluster")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/api/models/m/predict", Rows)).StatusCode);
    }

    [Theory]
    [InlineData("expired")]
    [InlineData("wrong-signature")]
    [InlineData("wrong-audience")]
    [InlineData("garbage")]
    public async Task An_invalid_jwt_is_401(string flaw)
    {
        var token = flaw switch
        {
            "expired" => SecuredApiFixture.Token("admin", lifetime: TimeSpan.FromMinutes(-10)),
            "wrong-signature" => SecuredApiFixture.Token("admin", signingKey: "another-signing-key-of-at-least-32-bytes!!"),
            "wrong-audience" => SecuredApiFixture.Token("admin", audience: "someone-else"),
            _ => "not.a.token",
        };
        using var client = api.WithToken(token);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/models")).StatusCode);
    }

    [Fact]
    public async Task A_key_created_by_an_admin_works_at_once_is_stored_only_hashed_and_stops_when_revoked()
    {
        var created = await api.Admin.PostAsJsonAsync("/api/auth/keys", new { name = "svc-predict", scopes = new[] { "predict" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        Assert.StartsWith(ApiKeySecret.Prefix, key);

        using var client = api.WithKey(key);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/models/m/predict", Rows)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/auth/keys")).StatusCode);

        var listed = await api.Admin.GetStringAsync("/api/auth/keys");
        Assert.Contains("svc-predict", listed);
        Assert.DoesNotContain(key, listed);
        Assert.DoesNotContain(ApiKeySecret.Hash(key), listed);
        var stored = Directory.EnumerateFiles(api.Factory.DataDirectory, "*", SearchOption.AllDirectories).Select(File.ReadAllText).ToArray();
        Assert.DoesNotContain(stored, text => text.Contains(key, StringComparison.Ordinal));
        Assert.Contains(stored, text => text.Contains(ApiKeySecret.Hash(key), StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, (await api.Admin.DeleteAsync("/api/auth/keys/svc-predict")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/models/m/predict", Rows)).StatusCode);
    }

    [Theory]
    [InlineData("""{"name":"bad scope","scopes":["predict"]}""", "API key name")]
    [InlineData("""{"name":"no-scopes","scopes":[]}""", "scopes")]
    [InlineData("""{"name":"odd-scope","scopes":["root"]}""", "scopes")]
    [InlineData("""{"name":"zero-rate","scopes":["predict"],"requestsPerSecond":0}""", "requestsPerSecond")]
    [InlineData("""{"name":"admin","scopes":["predict"]}""", "already exists")]
    public async Task A_bad_key_request_is_refused_with_the_reason_and_creates_nothing(string body, string reason)
    {
        var before = await api.Admin.GetStringAsync("/api/auth/keys");
        var response = await api.Admin.PostAsync("/api/auth/keys", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Conflict, $"{response.StatusCode}");
        Assert.Contains(reason, await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await api.Admin.GetStringAsync("/api/auth/keys"));
    }

    [Fact]
    public async Task A_key_over_its_rate_gets_429_with_retry_after_while_other_keys_are_served()
    {
        var created = await api.Admin.PostAsJsonAsync("/api/auth/keys", new { name = "slow-client", scopes = new[] { "predict" }, requestsPerSecond = 0.5 });
        var key = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        using var client = api.WithKey(key);

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/models/m/predict", Rows)).StatusCode);
        var native = await client.PostAsJsonAsync("/api/models/m/predict", Rows);
        Assert.Equal(HttpStatusCode.TooManyRequests, native.StatusCode);
        Assert.True(native.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {native.Headers.RetryAfter}");
        Assert.Equal("application/problem+json", native.Content.Headers.ContentType?.MediaType);

        var protocol = await client.GetAsync("/v2/models/m");
        Assert.Equal(HttpStatusCode.TooManyRequests, protocol.StatusCode);
        Assert.Contains("rate limit", (await protocol.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());

        using var other = api.WithKey(SecuredApiFixture.PredictKey);
        Assert.Equal(HttpStatusCode.OK, (await other.PostAsJsonAsync("/api/models/m/predict", Rows)).StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_both_credentials_and_the_scope_of_each_operation()
    {
        using var anonymous = api.Anonymous();
        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("X-Api-Key", schemes.GetProperty("ApiKey").GetProperty("name").GetString());
        Assert.Equal("bearer", schemes.GetProperty("Bearer").GetProperty("scheme").GetString());
        string[] ScopesOf(string path, string method) => document.GetProperty("paths").GetProperty(path).GetProperty(method)
            .GetProperty("security").EnumerateArray().SelectMany(r => r.EnumerateObject()).SelectMany(p => p.Value.EnumerateArray())
            .Select(s => s.GetString()!).Distinct().ToArray();
        Assert.Equal(["predict"], ScopesOf("/api/models/{name}/predict", "post"));
        Assert.Equal(["admin"], ScopesOf("/api/models/{name}/versions", "post"));
        Assert.Equal(["train"], ScopesOf("/api/training/jobs", "post"));
        Assert.False(document.GetProperty("paths").GetProperty("/v2/health/live").GetProperty("get").TryGetProperty("security", out _));
    }
}
