namespace OrleansML.Hosting;

/// <summary>
/// Mutual TLS on Orleans' own connections (silo to silo, client to gateway). Off unless a certificate is set; then
/// every silo and client presents its certificate, requires the peer's, and accepts only pinned certificates.
/// </summary>
public sealed class OrleansMLTlsOptions
{
    public const string SectionName = "OrleansML:Tls";

    /// <summary>PKCS#12 (.pfx) file with this node's certificate and private key; TLS is on when it is set.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>Password of <see cref="CertificatePath"/>: a secret, so pass it as an environment variable or from a secret store.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>
    /// SHA-256 thumbprints (hex, colons allowed) of the certificates a peer may present. Empty: this node's own
    /// certificate only, so a cluster whose silos and clients share one certificate needs no list.
    /// </summary>
    public string[] AllowedThumbprints { get; set; } = [];
}
