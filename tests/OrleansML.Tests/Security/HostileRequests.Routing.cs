using static OrleansML.Tests.Security.HostileInputs;
using static OrleansML.Tests.Security.KnownState;

namespace OrleansML.Tests.Security;

public static partial class HostileRequests
{
    /// <summary>Version segments: unknown, negative, past int, not integers. Versions 1 and 2 are labelled, so deleting them is 409.</summary>
    private static readonly string[] Versions = ["1", "2", "0", "-1", "99", "2147483647", "2147483648", "99999999999999999999", "1.5", "abc", "1e3", "0x1", "%2D1", "%20"];

    private static IEnumerable<HostileRequest> Routing() =>
        VersionRoutes().Concat(Artifacts()).Concat(Labels()).Concat(Traffic()).Concat(Policy()).Concat(Batching()).Concat(OnnxSession()).Concat(Shadow()).Concat(Rollouts());

    private static IEnumerable<HostileRequest> VersionRoutes()
    {
        const string route = "/api/models/{name}/versions/{version:int}";
        foreach (var version in Versions.Skip(2))
        {
            yield return new(route, "GET", $"version {version}", $"/api/models/{Mlp}/versions/{version}");
        }

        foreach (var version in Versions)
        {
            yield return new(route, "DELETE", $"version {version}", $"/api/models/{Mlp}/versions/{version}");
        }

        yield return new(route, "GET", "unknown model", "/api/models/no-such-model/versions/1");
        yield return new(route, "DELETE", "unknown model", "/api/models/no-such-model/versions/1");
        foreach (var request in HostileNames(route, "GET", "/api/models/{name}/versions/1").Concat(HostileNames(route, "DELETE", "/api/models/{name}/versions/1")))
        {
            yield return request;
        }

        foreach (var request in WrongMethods(route, $"/api/models/{Mlp}/versions/1", "GET", "DELETE"))
        {
            yield return request;
        }
    }

    private static IEnumerable<HostileRequest> Artifacts()
    {
        const string route = "/api/models/{name}/versions/{version:int}/artifact";
        return
        [
            .. Versions.Skip(2).Select(version => new HostileRequest(route, "GET", $"version {version}", $"/api/models/{Mlp}/versions/{version}/artifact")),
            new(route, "GET", "unknown model", "/api/models/no-such-model/versions/1/artifact"),
            .. HostileNames(route, "GET", "/api/models/{name}/versions/1/artifact"),
            .. WrongMethods(route, $"/api/models/{Mlp}/versions/1/artifact", "GET"),
        ];
    }

    private static IEnumerable<HostileRequest> Labels()
    {
        const string route = "/api/models/{name}/labels/{label}";
        const string path = $"/api/models/{Mlp}/labels/hostile-label";
        var put = JsonBodies(route, "PUT", path, """{"version":1}""",
            "{}", """{"version":"1"}""", """{"version":1.5}""", """{"version":1e309}""", """{"version":9223372036854775808}""",
            """{"version":2147483648}""", """{"version":null}""", """{"version":[1]}""", """{"version":{}}""", """{"version":true}""",
            """{"version":-1}""", """{"version":99}""", """{"version":"\ud800"}""");
        var labels = Names.Select(n => new HostileRequest(route, "PUT", $"label: {n.Case}", $"/api/models/{Mlp}/labels/{n.Segment}", Json("""{"version":1}""")));
        var delete = Names.Select(n => new HostileRequest(route, "DELETE", $"label: {n.Case}", $"/api/models/{Mlp}/labels/{n.Segment}"));
        return
        [
            .. put,
            .. labels,
            new(route, "PUT", "label of 33 characters", $"/api/models/{Mlp}/labels/{new string('l', 33)}", Json("""{"version":1}""")),
            new(route, "PUT", "unknown model", "/api/models/no-such-model/labels/stable", Json("""{"version":1}""")),
            .. HostileNames(route, "PUT", "/api/models/{name}/labels/stable", Json("""{"version":1}""")),
            new(route, "DELETE", "label in the traffic split (stable)", $"/api/models/{Mlp}/labels/stable"),
            new(route, "DELETE", "label in the traffic split (canary)", $"/api/models/{Mlp}/labels/canary"),
            new(route, "DELETE", "unknown label", $"/api/models/{Mlp}/labels/nope"),
            new(route, "DELETE", "unknown model", "/api/models/no-such-model/labels/stable"),
            .. delete,
            .. HostileNames(route, "DELETE", "/api/models/{name}/labels/stable"),
            .. WrongMethods(route, path, "PUT", "DELETE"),
        ];
    }

    private static IEnumerable<HostileRequest> Traffic()
    {
        const string route = "/api/models/{name}/traffic";
        const string path = $"/api/models/{Mlp}/traffic";
        return
        [
            .. JsonBodies(route, "PUT", path, """{"weights":{"stable":50,"canary":50}}""",
                "{}", """{"weights":null}""", """{"weights":[1]}""", """{"weights":"stable"}""", """{"weights":{"nope":1}}""",
                """{"weights":{"stable":-1}}""", """{"weights":{"stable":0,"canary":0}}""", """{"weights":{"stable":2147483647,"canary":2147483647}}""",
                """{"weights":{"stable":2147483648}}""", """{"weights":{"stable":1e309}}""", """{"weights":{"stable":"90"}}""",
                """{"weights":{"stable":1.5}}""", """{"weights":{"\ud800":1}}""", """{"weights":{"":1}}"""),
            new(route, "PUT", "unknown model", "/api/models/no-such-model/traffic", Json("""{"weights":{"stable":1}}""")),
            .. HostileNames(route, "PUT", "/api/models/{name}/traffic", Json("""{"weights":{"stable":1}}""")),
            .. WrongMethods(route, path, "PUT"),
        ];
    }

    /// <summary>Rollouts of the known model: its traffic split refuses even a valid one (409); none runs, so GET is 404 and DELETE 409.</summary>
    private static IEnumerable<HostileRequest> Rollouts()
    {
        const string route = "/api/models/{name}/rollouts";
        const string path = $"/api/models/{Mlp}/rollouts";
        return
        [
            .. JsonBodies(route, "POST", path, """{"candidate":2}""",
                "{}", """{"candidate":null}""", """{"candidate":"2"}""", """{"candidate":99}""", """{"candidate":-1}""", """{"candidate":2147483648}""",
                """{"candidate":1}""", """{"candidate":2,"steps":[5,5,100]}""", """{"candidate":2,"steps":[5,50]}""", """{"candidate":2,"steps":[]}""",
                """{"candidate":2,"steps":[0,100]}""", """{"candidate":2,"steps":"5"}""", """{"candidate":2,"stepDurationSeconds":1e309}""",
                """{"candidate":2,"stepDurationSeconds":0}""", """{"candidate":2,"stepDurationSeconds":1e300}""", """{"candidate":2,"maxErrorRate":-1}""",
                """{"candidate":2,"maxP99Ratio":1000}""", """{"candidate":2,"minRequests":0}""", """{"candidate":2,"baseline":"../x"}""",
                """{"candidate":2,"baseline":"nope"}"""),
            new(route, "POST", "unknown model", "/api/models/no-such-model/rollouts", Json("""{"candidate":2}""")),
            .. HostileNames(route, "POST", "/api/models/{name}/rollouts", Json("""{"candidate":2}""")),
            new(route, "GET", "no rollout", path),
            new(route, "DELETE", "no rollout to abort", path),
            new(route, "GET", "unknown model", "/api/models/no-such-model/rollouts"),
            new(route, "DELETE", "unknown model", "/api/models/no-such-model/rollouts"),
            .. HostileNames(route, "GET", "/api/models/{name}/rollouts"),
            .. HostileNames(route, "DELETE", "/api/models/{name}/rollouts"),
            .. WrongMethods(route, path, "POST", "GET", "DELETE"),
        ];
    }

    private static IEnumerable<HostileRequest> Policy()
    {
        const string route = "/api/models/{name}/policy";
        const string path = $"/api/models/{Mlp}/policy";
        return
        [
            .. JsonBodies(route, "PUT", path, """{"keepLatest":5}""",
                "{}", """{"keepLatest":-1}""", """{"keepLatest":1e309}""", """{"keepLatest":"5"}""", """{"keepLatest":null}""",
                """{"keepLatest":2147483648}""", """{"keepLatest":-2147483648}""", """{"keepLatest":1.5}"""),
            new(route, "PUT", "unknown model", "/api/models/no-such-model/policy", Json("""{"keepLatest":1}""")),
            .. HostileNames(route, "PUT", "/api/models/{name}/policy", Json("""{"keepLatest":1}""")),
            .. WrongMethods(route, path, "PUT"),
        ];
    }

    private static IEnumerable<HostileRequest> Batching()
    {
        const string route = "/api/models/{name}/batching";
        const string path = $"/api/models/{Mlp}/batching";
        return
        [
            .. JsonBodies(route, "PUT", path, """{"enabled":false,"maxBatchSize":8,"maxQueueDelayMs":1}""",
                """{"maxBatchSize":0}""", """{"maxBatchSize":-1}""", """{"maxBatchSize":4097}""", """{"maxBatchSize":2147483648}""",
                """{"maxBatchSize":"64"}""", """{"maxQueueDelayMs":-1}""", """{"maxQueueDelayMs":1001}""", """{"maxQueueDelayMs":1e309}""",
                """{"maxQueueDelayMs":"NaN"}""", """{"maxQueueDelayMs":"Infinity"}""", """{"enabled":"yes"}""", """{"enabled":1}""",
                """{"enabled":null}"""),
            new(route, "PUT", "unknown model", "/api/models/no-such-model/batching", Json("""{"enabled":true}""")),
            .. HostileNames(route, "PUT", "/api/models/{name}/batching", Json("""{"enabled":true}""")),
            .. WrongMethods(route, path, "PUT"),
        ];
    }

    private static IEnumerable<HostileRequest> OnnxSession()
    {
        const string route = "/api/models/{name}/onnx-session";
        const string path = $"/api/models/{Mlp}/onnx-session";
        return
        [
            .. JsonBodies(route, "PUT", path, """{"intraOpThreads":1,"interOpThreads":1,"graphOptimization":"basic"}""",
                """{"intraOpThreads":-1}""", """{"intraOpThreads":65}""", """{"intraOpThreads":2147483648}""", """{"intraOpThreads":"1"}""",
                """{"intraOpThreads":1.5}""", """{"interOpThreads":0}""", """{"interOpThreads":65}""", """{"interOpThreads":null}""",
                """{"graphOptimization":"fast"}""", """{"graphOptimization":""}""", """{"graphOptimization":4}""", """{"graphOptimization":-1}""",
                """{"graphOptimization":null}""", """{"graphOptimization":["all"]}""", """{"threads":2}"""),
            new(route, "PUT", "unknown model", "/api/models/no-such-model/onnx-session", Json("""{"intraOpThreads":1}""")),
            .. HostileNames(route, "PUT", "/api/models/{name}/onnx-session", Json("""{"intraOpThreads":1}""")),
            .. WrongMethods(route, path, "PUT"),
        ];
    }

    private static IEnumerable<HostileRequest> Shadow()
    {
        // Versions 1 and 2 of the known model are both in its traffic split: no valid shadow exists, every body is refused.
        const string route = "/api/models/{name}/shadow";
        const string path = $"/api/models/{Mlp}/shadow";
        return
        [
            .. JsonBodies(route, "PUT", path, """{"version":2,"percent":10}""",
                "{}", """{"version":2}""", """{"percent":10}""", """{"version":2,"percent":-1}""", """{"version":2,"percent":101}""",
                """{"version":2,"percent":1e309}""", """{"version":2,"percent":"10"}""", """{"version":2,"percent":null}""",
                """{"version":"2","percent":10}""", """{"version":1.5,"percent":10}""", """{"version":99,"percent":10}""",
                """{"version":-1,"percent":10}""", """{"version":2147483648,"percent":10}"""),
            new(route, "PUT", "unknown model", "/api/models/no-such-model/shadow", Json("""{"version":2,"percent":10}""")),
            .. HostileNames(route, "PUT", "/api/models/{name}/shadow", Json("""{"version":2,"percent":10}""")),
            new(route, "GET", "no shadow set", path),
            new(route, "GET", "unknown model", "/api/models/no-such-model/shadow"),
            .. HostileNames(route, "GET", "/api/models/{name}/shadow"),
            new(route, "DELETE", "no shadow set", path),
            new(route, "DELETE", "unknown model", "/api/models/no-such-model/shadow"),
            .. HostileNames(route, "DELETE", "/api/models/{name}/shadow"),
            .. WrongMethods(route, path, "PUT", "GET", "DELETE"),
        ];
    }
}
