using System.Net;
using System.Security.Authentication;

namespace OrleansML.Tests.Security;

/// <summary>The API over HTTPS with Kestrel's own configuration (docs/security.md, Transport).</summary>
public sealed class HttpsApiTests(HttpsApiFixture fixture) : IClassFixture<HttpsApiFixture>
{
    [Fact]
    public async Task A_client_pinning_the_configured_certificate_gets_ready_and_the_model_list_over_https()
    {
        byte[]? presented = null;
        var handler = new SocketsHttpHandler
        {
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    presented = certificate?.GetRawCertData();
                    return fixture.Certificate.Matches(certificate);
                },
            },
        };
        using var http = fixture.AdminKey.Authorize(new HttpClient(handler) { BaseAddress = fixture.Api.BaseAddress, Timeout = TimeSpan.FromSeconds(30) });

        var ready = await http.GetAsync("health/ready");
        var models = await http.GetAsync("api/models");

        Assert.Equal("https", http.BaseAddress!.Scheme);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, models.StatusCode);
        Assert.StartsWith("[", await models.Content.ReadAsStringAsync());
        Assert.Equal(fixture.Certificate.Certificate.RawData, presented);
    }

    [Fact]
    public async Task Plain_http_to_the_https_port_gets_no_answer()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{fixture.Api.HttpPort}/"), Timeout = TimeSpan.FromSeconds(30) };

        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("health/ready"));
    }

    [Fact]
    public async Task A_client_that_does_not_trust_the_certificate_refuses_the_connection()
    {
        // The default validation: the generated certificate chains to no root this machine trusts.
        using var http = new HttpClient { BaseAddress = fixture.Api.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("health/ready"));

        Assert.IsType<AuthenticationException>(error.InnerException);
    }

    [Fact]
    public async Task Neither_the_certificate_password_nor_the_signing_key_nor_the_api_key_appears_in_the_debug_log()
    {
        using var http = fixture.AdminKey.Authorize(fixture.Api.CreateHttpClient(TimeSpan.FromSeconds(30)));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("api/models")).StatusCode);

        // The log is there (Kestrel announced the HTTPS endpoint it loaded the certificate for)...
        Assert.Contains($"Now listening on: https://127.0.0.1:{fixture.Api.HttpPort}", fixture.Api.FullOutput);
        // ...and holds no secret.
        LogAssert.NoSecretIn([fixture.Api], fixture.Secrets);
    }
}
