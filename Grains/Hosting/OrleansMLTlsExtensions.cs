using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Orleans.Connections.Security;

namespace OrleansML.Hosting;

/// <summary>Applies <see cref="OrleansMLTlsOptions"/> to a silo or a client with Microsoft.Orleans.Connections.Security.</summary>
public static class OrleansMLTlsExtensions
{
    /// <summary>TLS on the silo's inbound silo and gateway connections and its outbound silo connections.</summary>
    public static ISiloBuilder UseOrleansMLTls(this ISiloBuilder silo, IConfiguration configuration) =>
        TlsFrom(configuration) is { } configure ? silo.UseTls(configure) : silo;

    /// <summary>TLS on the client's gateway connections; the silos must have it too.</summary>
    public static IClientBuilder UseOrleansMLTls(this IClientBuilder client, IConfiguration configuration) =>
        TlsFrom(configuration) is { } configure ? client.UseTls(configure) : client;

    /// <summary>The SHA-256 thumbprint that <see cref="OrleansMLTlsOptions.AllowedThumbprints"/> lists.</summary>
    public static string Thumbprint(X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256);

    private static Action<TlsOptions>? TlsFrom(IConfiguration configuration)
    {
        var settings = configuration.GetSection(OrleansMLTlsOptions.SectionName).Get<OrleansMLTlsOptions>();
        if (string.IsNullOrEmpty(settings?.CertificatePath))
        {
            return null;
        }

        var certificate = X509CertificateLoader.LoadPkcs12FromFile(settings.CertificatePath, settings.CertificatePassword);
        var allowed = (settings.AllowedThumbprints.Length > 0 ? settings.AllowedThumbprints : [Thumbprint(certificate)])
            .Select(t => t.Replace(":", "", StringComparison.Ordinal).Trim())
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        return options =>
        {
            options.LocalCertificate = certificate;
            options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
            options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
            // Orleans dials silos by IP address, so there is no host name to match, and a self-signed certificate
            // has no chain: a peer is trusted for presenting a pinned certificate, whatever SslStream's policy says.
            options.RemoteCertificateValidation = (remote, _, _) => allowed.Contains(Thumbprint(remote));
        };
    }
}
