using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OrleansML.Tests.Security;

/// <summary><c>GET /api/auth/me</c> on an API with keys and JWT: what the credential may do, and nothing more; the console's files stay anonymous.</summary>
public sealed class CredentialEndpointTests(SecuredApiFixture api) : IClassFixture<SecuredApiFixture>
{
    [Theory]
    [InlineData(SecuredApiFixture.AdminKey, "admin", new[] { "predict", "train", "admin" })]
    [InlineData(SecuredApiFixture.PredictKey, "predict", new[] { "predict" })]
    [InlineData(SecuredApiFixture.PredictTrainKey, "predict-train", new[] { "predict", "train" })]
    public async Task A_key_is_named_with_the_scopes_it_holds(string key, string name, string[] scopes)
    {
        using var client = api.WithKey(key);
        var me = await client.GetFromJsonAsync<JsonElement>("/api/auth/me");
        Assert.True(me.GetProperty("authRequired").GetBoolean());
        Assert.True(me.GetProperty("authenticated").GetBoolean());
        Assert.Equal(name, me.GetProperty("name").GetString());
        Assert.Equal(scopes, me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(["authRequired", "authenticated", "name", "scopes", "schemes"], me.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task A_bearer_token_is_named_by_its_subject_with_its_scope()
    {
        using var client = api.WithToken(SecuredApiFixture.Token("train", subject: "pipeline"));
        var me = await client.GetFromJsonAsync<JsonElement>("/api/auth/me");
        Assert.Equal("pipeline", me.GetProperty("name").GetString());
        Assert.Equal(["train"], me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(["ApiKey", "Bearer"], me.GetProperty("schemes").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task Without_a_credential_it_says_one_is_required_and_grants_nothing()
    {
        using var client = api.Anonymous();
        var me = await client.GetFromJsonAsync<JsonElement>("/api/auth/me");
        Assert.True(me.GetProperty("authRequired").GetBoolean());
        Assert.False(me.GetProperty("authenticated").GetBoolean());
        Assert.Empty(me.GetProperty("scopes").EnumerateArray());
    }

    [Fact]
    public async Task A_key_nobody_configured_is_a_401_naming_why()
    {
        using var client = api.WithKey("oml_not-a-configured-key-0123456789abcdef");
        var response = await client.GetAsync("/api/auth/me");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("the API key is not valid.", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/index.html")]
    [InlineData("/console/app.js")]
    [InlineData("/console/pages/model.js")]
    public async Task The_console_files_need_no_credential_while_the_api_does(string path)
    {
        using var client = api.Anonymous();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/models")).StatusCode);
    }
}
