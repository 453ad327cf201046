using static OrleansML.Tests.Security.KnownState;

namespace OrleansML.Tests.Security;

public static partial class HostileRequests
{
    /// <summary>A model's history and the model as of a time: pages and times that do not parse, and unknown models.</summary>
    private static IEnumerable<HostileRequest> History()
    {
        const string route = "/api/models/{name}/history";
        const string get = "/api/models/{name}";
        var history = $"/api/models/{Mlp}/history";
        return
        [
            new(route, "GET", "unknown model", "/api/models/no-such-model/history"),
            new(route, "GET", "page 0", history + "?page=0"),
            new(route, "GET", "page not a number", history + "?page=%00"),
            new(route, "GET", "page past int", history + "?page=99999999999999999999"),
            new(route, "GET", "pageSize 0", history + "?pageSize=0"),
            new(route, "GET", "pageSize over 200", history + "?pageSize=201"),
            new(route, "GET", "pageSize negative", history + "?pageSize=-5"),
            new(route, "GET", "junk query", history + JunkQuery) { Tolerated = "a read whose unknown query parameters are ignored, as HTTP allows; nothing changes" },
            .. HostileNames(route, "GET", route),
            .. WrongMethods(route, history, "GET"),
            new(get, "GET", "at not a time", $"/api/models/{Mlp}?at=yesterday"),
            new(get, "GET", "at empty", $"/api/models/{Mlp}?at="),
            new(get, "GET", "at with NUL", $"/api/models/{Mlp}?at=2026-12-01T10:00:00Z%00"),
            new(get, "GET", "at month 13", $"/api/models/{Mlp}?at=2026-13-01T10:00:00Z"),
            new(get, "GET", "at twice", $"/api/models/{Mlp}?at=2026-12-01T10:00:00Z&at=2026-12-02T10:00:00Z"),
            new(get, "GET", "at before the model existed", $"/api/models/{Mlp}?at=2000-01-01T00:00:00Z"),
            new(get, "GET", "at on an unknown model", "/api/models/no-such-model?at=2026-12-01T10:00:00Z"),
        ];
    }
}
