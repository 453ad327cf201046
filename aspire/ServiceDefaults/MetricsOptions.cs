namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The Prometheus scraping endpoint (<c>OrleansML:Metrics</c>). With neither <see cref="Token"/> nor <see cref="Url"/>
/// it answers on the process's own port under the process's own rules: open on a silo and on an API without
/// authentication, and only to an admin credential on an API with authentication, unless <see cref="AllowAnonymous"/>.
/// </summary>
public sealed class MetricsOptions
{
    public const string SectionName = "OrleansML:Metrics";

    /// <summary>Maps <see cref="Path"/> at all.</summary>
    public bool Enabled { get; set; } = true;

    public string Path { get; set; } = "/metrics";

    /// <summary>When set, scrapers must send <c>Authorization: Bearer &lt;token&gt;</c>; nothing else is asked of them.</summary>
    public string? Token { get; set; }

    /// <summary>
    /// A separate management address (<c>http://0.0.0.0:9464</c>) that serves only the metrics and health endpoints;
    /// the process listens there as well as on its usual addresses, and no longer serves the metrics on those.
    /// </summary>
    public string? Url { get; set; }

    /// <summary>Serves the metrics to anyone on an API that otherwise requires credentials, on purpose.</summary>
    public bool AllowAnonymous { get; set; }
}
