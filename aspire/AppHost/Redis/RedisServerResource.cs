namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// A local <c>redis-server</c> process, for machines without a container runtime. It offers the same connection
/// string shape as Aspire's Redis container (<c>host:port</c>), so Aspire.Hosting.Orleans configures silos and clients
/// the same way for either.
/// </summary>
public sealed class RedisServerResource(string name, string workingDirectory)
    : ExecutableResource(name, "redis-server", workingDirectory), IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "tcp";

    private EndpointReference? _primaryEndpoint;

    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.HostAndPort)}");
}
