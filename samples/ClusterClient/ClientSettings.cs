namespace OrleansML.Samples.ClusterClient;

/// <summary>Where the cluster is, and what to ask it.</summary>
public sealed class ClientSettings
{
    /// <summary>StackExchange.Redis connection string of the silos' Redis (password and TLS go here too).</summary>
    public string Redis { get; set; } = "localhost:6379";

    public string ClusterId { get; set; } = "orleansml";

    public string ServiceId { get; set; } = "orleansml";

    /// <summary>
    /// PFX with the certificate to present to silos that run with <c>OrleansML:Tls</c> (mutual TLS); TLS is on when
    /// set. With only this, the silos must present the same certificate.
    /// </summary>
    public string? TlsCertificatePath { get; set; }

    /// <summary>Password of <see cref="TlsCertificatePath"/>; pass it as an environment variable, not an argument.</summary>
    public string? TlsCertificatePassword { get; set; }

    /// <summary>SHA-256 thumbprint of the silos' certificate, when it is not this client's own.</summary>
    public string? TlsSiloThumbprint { get; set; }

    /// <summary>The model to predict on; the first listed when unset.</summary>
    public string? Model { get; set; }

    /// <summary>One input row as comma-separated numbers; a row of ones of the model's width when unset.</summary>
    public string? Input { get; set; }
}
