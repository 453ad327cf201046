using static OrleansML.Tests.Security.HostileInputs;

namespace OrleansML.Tests.Security;

public static partial class HostileRequests
{
    private static IEnumerable<HostileRequest> ApiKeys()
    {
        const string keys = "/api/auth/keys/";
        var requests = JsonBodies(keys, "POST", "/api/auth/keys", """{"name":"hostile-key","scopes":["predict"]}""",
            """{"name":"hostile-key"}""", """{"scopes":["predict"]}""", """{"name":"hostile-key","scopes":[]}""",
            """{"name":"hostile-key","scopes":["root"]}""", """{"name":"hostile-key","scopes":"predict"}""",
            """{"name":"hostile-key","scopes":[null]}""", """{"name":"hostile-key","scopes":[1]}""",
            """{"name":"../../etc/passwd","scopes":["predict"]}""", """{"name":"","scopes":["predict"]}""", """{"name":null,"scopes":["predict"]}""",
            """{"name":"\ud800","scopes":["predict"]}""", $$"""{"name":"{{new string('k', 65)}}","scopes":["predict"]}""",
            """{"name":"admin","scopes":["predict"]}""", """{"name":"hostile-key","scopes":["predict"],"requestsPerSecond":0}""",
            """{"name":"hostile-key","scopes":["predict"],"requestsPerSecond":-1}""", """{"name":"hostile-key","scopes":["predict"],"requestsPerSecond":1e309}""",
            """{"name":"hostile-key","scopes":["predict"],"requestsPerSecond":"NaN"}""").ToList();
        requests.Add(new(keys, "GET", "junk query", "/api/auth/keys" + JunkQuery) { Tolerated = ReadOnly });
        requests.AddRange(WrongMethods(keys, "/api/auth/keys", "GET", "POST"));

        const string key = "/api/auth/keys/{name}";
        requests.AddRange(Names.Select(n => new HostileRequest(key, "DELETE", $"name: {n.Case}", $"/api/auth/keys/{n.Segment}")));
        requests.Add(new(key, "DELETE", "a configured key (not in the registry)", "/api/auth/keys/admin"));
        requests.AddRange(WrongMethods(key, "/api/auth/keys/nobody", "DELETE"));
        return requests;
    }
}
