using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace OrleansML.Samples.ClusterClient;

/// <summary>Mutual TLS to silos that run with OrleansML:Tls, the way those silos check their own peers.</summary>
public static class SiloTls
{
    public static IClientBuilder UseSiloTls(this IClientBuilder client, ClientSettings settings)
    {
        if (settings.TlsCertificatePath is null)
        {
            return client;
        }

        var certificate = X509CertificateLoader.LoadPkcs12FromFile(settings.TlsCertificatePath, settings.TlsCertificatePassword);
        var silos = (settings.TlsSiloThumbprint ?? Thumbprint(certificate)).Replace(":", "", StringComparison.Ordinal);
        return client.UseTls(certificate, tls =>
        {
            tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
            tls.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
            // Gateways are dialled by IP address and the certificate may be self-signed: trust the pinned one only.
            tls.RemoteCertificateValidation = (silo, _, _) => string.Equals(Thumbprint(silo), silos, StringComparison.OrdinalIgnoreCase);
        });
    }

    private static string Thumbprint(X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256);
}
