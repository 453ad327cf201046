using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OrleansML.Tests.Infrastructure;

/// <summary>
/// A fresh self-signed certificate for 127.0.0.1 and localhost, fit for servers and clients (mutual TLS), written
/// to its own temp folder as a password-protected PFX (Kestrel, Orleans) and as PEM files (redis-server, and a
/// trust file for <c>SSL_CERT_FILE</c>).
/// </summary>
public sealed class TestCertificate : IDisposable
{
    private readonly TempDirectory _folder = new();

    public TestCertificate(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication"), new Oid("1.3.6.1.5.5.7.3.2", "Client Authentication")], critical: false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));

        Certificate = X509CertificateLoader.LoadCertificate(created.RawData);
        PfxPath = Path.Combine(_folder.Path, $"{name}.pfx");
        File.WriteAllBytes(PfxPath, created.Export(X509ContentType.Pfx, Password));
        CertificatePemPath = Path.Combine(_folder.Path, $"{name}.crt");
        File.WriteAllText(CertificatePemPath, created.ExportCertificatePem());
        KeyPemPath = Path.Combine(_folder.Path, $"{name}.key");
        File.WriteAllText(KeyPemPath, key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>The public certificate, to compare with what a server presented.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The PFX password: one of the secrets that must never reach a log.</summary>
    public string Password { get; } = RandomNumberGenerator.GetHexString(32);

    public string PfxPath { get; }

    public string CertificatePemPath { get; }

    public string KeyPemPath { get; }

    /// <summary>True when <paramref name="presented"/> is exactly this certificate.</summary>
    public bool Matches(X509Certificate? presented) =>
        presented is not null && presented.GetRawCertData().AsSpan().SequenceEqual(Certificate.RawData);

    /// <summary>An HTTP handler that accepts this certificate and nothing else, as a client pinning it would.</summary>
    public SocketsHttpHandler PinnedHandler() =>
        new() { SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, _) => Matches(presented) } };

    public void Dispose()
    {
        Certificate.Dispose();
        _folder.Dispose();
    }
}
