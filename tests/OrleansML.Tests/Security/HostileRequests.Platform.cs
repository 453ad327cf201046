using static OrleansML.Tests.Security.HostileInputs;

namespace OrleansML.Tests.Security;

public static partial class HostileRequests
{
    private const string HealthProbe =
        "a health probe: MapHealthChecks answers every method and reads nothing from the request; nothing changes";

    private const string StaticPage =
        "the API reference page or one of its static assets: the page is the same for any document name and ignores the query; nothing changes";

    private const string OpenApiNotFound =
        "Microsoft.AspNetCore.OpenApi's MapOpenApi handler answers an unknown document name itself, with a text/plain 404";

    private static IEnumerable<HostileRequest> Platform()
    {
        var requests = new List<HostileRequest>();
        foreach (var probe in new[] { "/health/live", "/health/ready" })
        {
            requests.Add(new(probe, "GET", "junk query", probe + JunkQuery) { Tolerated = HealthProbe });
            requests.Add(new(probe, "POST", "POST with a malformed body", probe, Json("{")) { Tolerated = HealthProbe });
            requests.Add(new(probe, "DELETE", "DELETE", probe) { Tolerated = HealthProbe });
        }

        // The fixture runs open, as the embedded Development loop does: the scrape answers anyone there.
        const string scrape = "/metrics";
        const string scrapeRead = "the Prometheus scrape: read-only, it ignores the query, the body and the method; nothing changes";
        requests.Add(new(scrape, "GET", "junk query", scrape + JunkQuery) { Tolerated = scrapeRead });
        requests.Add(new(scrape, "POST", "POST with a malformed body", scrape, Json("{")) { Tolerated = scrapeRead });
        requests.Add(new(scrape, "GET", "a bearer token nobody configured", scrape) { Tolerated = scrapeRead, Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer nope" } });

        const string cluster = "/api/cluster/";
        requests.Add(new(cluster, "GET", "junk query", "/api/cluster" + JunkQuery) { Tolerated = ReadOnly });
        requests.AddRange(WrongMethods(cluster, "/api/cluster", "GET"));

        const string repository = "/api/repository/";
        requests.Add(new(repository, "GET", "junk query", "/api/repository" + JunkQuery) { Tolerated = ReadOnly });
        requests.AddRange(WrongMethods(repository, "/api/repository", "GET"));

        const string openApi = "/openapi/{documentName}.json";
        requests.Add(new(openApi, "GET", "unknown document", "/openapi/nope.json") { OwnErrorBody = OpenApiNotFound });
        requests.Add(new(openApi, "GET", "junk query", "/openapi/v1.json" + JunkQuery) { Tolerated = ReadOnly });
        requests.AddRange(Names.Select(n => new HostileRequest(openApi, "GET", $"document: {n.Case}", $"/openapi/{n.Segment}.json") { OwnErrorBody = OpenApiNotFound }));
        requests.AddRange(WrongMethods(openApi, "/openapi/v1.json", "GET"));

        // The API reference (Scalar) is mapped in Development, as these tests run: a page and its static assets.
        const string reference = "/scalar/{documentName?}";
        requests.Add(new(reference, "GET", "junk query", "/scalar/v1" + JunkQuery) { Tolerated = StaticPage });
        requests.Add(new(reference, "GET", "unknown document", "/scalar/nope") { Tolerated = StaticPage });
        requests.AddRange(WrongMethods(reference, "/scalar/v1", "GET"));
        foreach (var asset in new[] { "/scalar/favicon.svg", "/scalar/scalar.aspnetcore.js", "/scalar/scalar.js" })
        {
            requests.Add(new(asset, "GET", "junk query", asset + JunkQuery) { Tolerated = StaticPage });
            requests.AddRange(WrongMethods(asset, asset, "GET"));
        }
        return requests;
    }
}
