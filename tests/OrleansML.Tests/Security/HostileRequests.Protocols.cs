using static OrleansML.Tests.Security.HostileInputs;
using static OrleansML.Tests.Security.KnownState;

namespace OrleansML.Tests.Security;

public static partial class HostileRequests
{
    private const string ReadOnly = "a read that takes no parameters: unknown query parameters are ignored, as HTTP allows; nothing changes";

    private static IEnumerable<HostileRequest> KServeMetadata()
    {
        var requests = new List<HostileRequest>();
        foreach (var route in new[] { "/v2/", "/v2/health/live", "/v2/health/ready" })
        {
            requests.Add(new(route, "GET", "junk query", route + JunkQuery) { Tolerated = ReadOnly });
            requests.AddRange(WrongMethods(route, route, "GET"));
        }

        foreach (var suffix in new[] { "", "/ready" })
        {
            var model = $"/v2/models/{{model}}{suffix}";
            var version = $"/v2/models/{{model}}/versions/{{version}}{suffix}";
            requests.Add(new(model, "GET", "unknown model", $"/v2/models/no-such-model{suffix}"));
            requests.AddRange(Names.Select(n => new HostileRequest(model, "GET", $"name: {n.Case}", $"/v2/models/{n.Segment}{suffix}")));
            requests.AddRange(Versions.Skip(2).Select(v => new HostileRequest(version, "GET", $"version {v}", $"/v2/models/{Mlp}/versions/{v}{suffix}")));
            requests.AddRange(Names.Take(6).Select(n => new HostileRequest(version, "GET", $"name: {n.Case}", $"/v2/models/{n.Segment}/versions/1{suffix}")));
            requests.AddRange(WrongMethods(model, $"/v2/models/{Mlp}{suffix}", "GET"));
            requests.AddRange(WrongMethods(version, $"/v2/models/{Mlp}/versions/1{suffix}", "GET"));
        }

        requests.Add(new("/v2/models/stats", "GET", "junk query", "/v2/models/stats" + JunkQuery) { Tolerated = ReadOnly });
        requests.AddRange(WrongMethods("/v2/models/stats", "/v2/models/stats", "GET"));
        const string modelStats = "/v2/models/{model}/stats";
        const string versionStats = "/v2/models/{model}/versions/{version}/stats";
        requests.Add(new(modelStats, "GET", "unknown model", "/v2/models/no-such-model/stats"));
        requests.AddRange(Names.Select(n => new HostileRequest(modelStats, "GET", $"name: {n.Case}", $"/v2/models/{n.Segment}/stats")));
        requests.AddRange(Versions.Skip(2).Select(v => new HostileRequest(versionStats, "GET", $"version {v}", $"/v2/models/{Mlp}/versions/{v}/stats")));
        requests.AddRange(WrongMethods(modelStats, $"/v2/models/{Mlp}/stats", "GET"));
        requests.AddRange(WrongMethods(versionStats, $"/v2/models/{Mlp}/versions/1/stats", "GET"));

        const string index = "/v2/repository/index";
        requests.AddRange(JsonBodies(index, "POST", index, """{"ready":true}""",
            """{"ready":"yes"}""", """{"ready":1}""", """{"ready":null}""", """{"ready":[true]}""")
            .Select(r => r.Case == "malformed JSON: empty" ? r with { Tolerated = "the index body is optional: an empty one lists every version" } : r));
        requests.AddRange(WrongMethods(index, index, "POST"));
        foreach (var action in new[] { "load", "unload" })
        {
            var route = $"/v2/repository/models/{{model}}/{action}";
            requests.Add(new(route, "POST", "unknown model", $"/v2/repository/models/no-such-model/{action}"));
            requests.Add(new(route, "POST", "unknown model with a malformed body", $"/v2/repository/models/no-such-model/{action}", Json("{")));
            requests.AddRange(Names.Select(n => new HostileRequest(route, "POST", $"name: {n.Case}", $"/v2/repository/models/{n.Segment}/{action}")));
            requests.AddRange(WrongMethods(route, $"/v2/repository/models/{Mlp}/{action}", "POST"));
        }

        return requests;
    }

    private static IEnumerable<HostileRequest> TensorFlowServingMetadata()
    {
        const string status = "/v1/models/{model}";
        const string version = "/v1/models/{model}/versions/{version}";
        const string label = "/v1/models/{model}/labels/{label}";
        const string metadata = "/v1/models/{model}/metadata";
        return
        [
            new(status, "GET", "unknown model", "/v1/models/no-such-model"),
            .. Names.Select(n => new HostileRequest(status, "GET", $"name: {n.Case}", $"/v1/models/{n.Segment}")),
            .. Versions.Skip(2).Select(v => new HostileRequest(version, "GET", $"version {v}", $"/v1/models/{Mlp}/versions/{v}")),
            .. Names.Take(6).Select(n => new HostileRequest(version, "GET", $"name: {n.Case}", $"/v1/models/{n.Segment}/versions/1")),
            new(label, "GET", "unknown label", $"/v1/models/{Mlp}/labels/nope"),
            .. Names.Select(n => new HostileRequest(label, "GET", $"label: {n.Case}", $"/v1/models/{Mlp}/labels/{n.Segment}")),
            new(metadata, "GET", "unknown model", "/v1/models/no-such-model/metadata"),
            .. Names.Select(n => new HostileRequest(metadata, "GET", $"name: {n.Case}", $"/v1/models/{n.Segment}/metadata")),
            .. WrongMethods(status, $"/v1/models/{Mlp}", "GET"),
            .. WrongMethods(version, $"/v1/models/{Mlp}/versions/1", "GET"),
            .. WrongMethods(label, $"/v1/models/{Mlp}/labels/stable", "GET"),
            .. WrongMethods(metadata, $"/v1/models/{Mlp}/metadata", "GET"),
        ];
    }
}
