using static OrleansML.Tests.Security.HostileInputs;

namespace OrleansML.Tests.Security;

public static partial class HostileRequests
{
    /// <summary>The endpoints the web console reads besides the rest of the API: who am I, loaded models, serving statistics.</summary>
    private static IEnumerable<HostileRequest> ConsoleReads()
    {
        const string me = "/api/auth/me";
        const string meRead = "who the credential is: the fixture runs open, so any request is told so; nothing changes";
        yield return new(me, "GET", "junk query", me + JunkQuery) { Tolerated = meRead };
        yield return new(me, "GET", "an API key nobody configured", me) { Tolerated = meRead, Headers = new Dictionary<string, string> { ["X-Api-Key"] = "oml_nope" } };
        foreach (var request in WrongMethods(me, me, "GET"))
        {
            yield return request;
        }

        const string loaded = "/api/cluster/models";
        yield return new(loaded, "GET", "junk query", loaded + JunkQuery) { Tolerated = ReadOnly };
        foreach (var request in WrongMethods(loaded, loaded, "GET"))
        {
            yield return request;
        }

        const string statistics = "/api/serving/statistics";
        yield return new(statistics, "GET", "junk query", statistics + JunkQuery) { Tolerated = ReadOnly };
        yield return new(statistics, "GET", "unknown model", statistics + "?model=no-such-model");
        foreach (var (name, segment) in Names)
        {
            yield return new(statistics, "GET", $"model: {name}", $"{statistics}?model={segment}");
        }

        foreach (var request in WrongMethods(statistics, statistics, "GET"))
        {
            yield return request;
        }
    }
}
