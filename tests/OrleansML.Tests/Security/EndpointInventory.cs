using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.DependencyInjection;

namespace OrleansML.Tests.Security;

/// <summary>
/// The API's endpoints as its routing sees them at runtime (route pattern and HTTP methods, "*" for an endpoint
/// that takes any method), so the corpus is checked against what is really mapped, including endpoints added later.
/// </summary>
public sealed class EndpointInventory
{
    public const string AnyMethod = "*";

    private EndpointInventory(IReadOnlyDictionary<string, IReadOnlySet<string>> methods, IReadOnlyList<string> grpcMethods)
    {
        Methods = methods;
        GrpcMethods = grpcMethods;
    }

    /// <summary>Route pattern → the methods mapped on it, for the HTTP endpoints the HTTP corpus probes.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> Methods { get; }

    /// <summary>
    /// The gRPC methods (<c>/package.Service/Method</c>; the framework's UNIMPLEMENTED catch-alls aside). They speak
    /// gRPC's framing and statuses, not HTTP's, so <see cref="GrpcHostileInputTests"/> probes them.
    /// </summary>
    public IReadOnlyList<string> GrpcMethods { get; }

    public IEnumerable<(string Route, string Method)> Endpoints =>
        Methods.SelectMany(route => route.Value.Select(method => (route.Key, method))).OrderBy(e => e.Key).ThenBy(e => e.method);

    public static EndpointInventory From(IServiceProvider services)
    {
        var methods = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var grpc = new List<string>();
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var route = endpoint.RoutePattern.RawText ?? throw new InvalidOperationException($"endpoint {endpoint.DisplayName} has no route text");
            if (endpoint.Metadata.GetMetadata<GrpcMethodMetadata>() is not null)
            {
                grpc.Add(route);
                continue;
            }

            // Grpc.AspNetCore's UNIMPLEMENTED catch-alls: the gRPC section of the authorization matrix covers them.
            if (route.Contains(":grpcunimplemented}", StringComparison.Ordinal))
            {
                continue;
            }

            var mapped = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } list ? list : [AnyMethod];
            if (!methods.TryGetValue(route, out var set))
            {
                methods[route] = set = new HashSet<string>(StringComparer.Ordinal);
            }

            set.UnionWith(mapped);
        }

        return new EndpointInventory(methods.ToDictionary(p => p.Key, p => (IReadOnlySet<string>)p.Value, StringComparer.Ordinal), grpc.Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>True when the request's method is mapped on its route (or the route takes any method).</summary>
    public bool IsMapped(HostileRequest request) =>
        Methods.TryGetValue(request.Route, out var mapped) && (mapped.Contains(request.Method) || mapped.Contains(AnyMethod));

    /// <summary>
    /// True when the request's path has the shape of its route (same segments, literals equal; constraints aside), so
    /// a typo in the corpus cannot count as covering an endpoint it never reaches.
    /// </summary>
    public static bool PathFits(HostileRequest request)
    {
        var pattern = RoutePatternFactory.Parse(request.Route);
        var matcher = new TemplateMatcher(new RouteTemplate(pattern), new RouteValueDictionary(pattern.Defaults));
        return matcher.TryMatch(new PathString(request.Path.Split('?', 2)[0]), new RouteValueDictionary());
    }
}
