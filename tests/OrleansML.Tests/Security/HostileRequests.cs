using static OrleansML.Tests.Security.HostileInputs;

namespace OrleansML.Tests.Security;

/// <summary>
/// The hostile-input corpus, written per endpoint (one file per feature): a new endpoint has no entries until
/// someone writes them, and the coverage test fails until then.
/// </summary>
public static partial class HostileRequests
{
    /// <summary>The methods a wrong-method probe tries on each route (those the route does not map).</summary>
    public static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"];

    /// <summary>Query parameters no endpoint defines, with broken escapes, NUL, an empty name and an emoji.</summary>
    public const string JunkQuery = "?%ZZ=1&label=%00&version=-1&&=&x=%F0%9F%A4%96&version=99999999999999999999";

    public static IReadOnlyList<HostileRequest> All(KnownState state)
    {
        var corpus = Models()
            .Concat(History())
            .Concat(Routing())
            .Concat(NativePredictions())
            .Concat(KServeInference())
            .Concat(KServeBinaryInference())
            .Concat(KServeMetadata())
            .Concat(TensorFlowServingPredictions())
            .Concat(TensorFlowServingMetadata())
            .Concat(Datasets())
            .Concat(Training(state))
            .Concat(Scoring(state))
            .Concat(ApiKeys())
            .Concat(Platform())
            .Concat(ConsoleReads())
            .ToList();
        corpus.AddRange(UnacceptableAccept(corpus));
        return corpus;
    }

    /// <summary>
    /// Each route's first refused request again with an Accept header the API cannot honour: the error still comes
    /// back as problem details (or the protocol's error), never as a 500 for want of a formatter.
    /// </summary>
    private static IEnumerable<HostileRequest> UnacceptableAccept(IEnumerable<HostileRequest> corpus) =>
        corpus.Where(r => r.Tolerated is null && r.Case != WrongMethod).GroupBy(r => r.Route).Select(g => g.First())
            .SelectMany(r => new[] { "application/xml", "text/html" }.Select(accept => r with
            {
                Case = $"{r.Case}; Accept: {accept}",
                Headers = new Dictionary<string, string> { ["Accept"] = accept },
            }));

    private const string WrongMethod = "wrong method";

    /// <summary>Every standard method <paramref name="route"/> does not map, sent to <paramref name="path"/>.</summary>
    private static IEnumerable<HostileRequest> WrongMethods(string route, string path, params string[] mapped) =>
        Methods.Except(mapped).Select(method => new HostileRequest(route, method, WrongMethod, path, method is "POST" or "PUT" or "PATCH" ? Json("{}") : null));

    /// <summary>
    /// The common refusals of an endpoint that binds a JSON body: malformed documents, <paramref name="validJson"/>
    /// under wrong content types, each of <paramref name="invalid"/> (well-formed but wrong), and junk query
    /// parameters on the first of them.
    /// </summary>
    private static IEnumerable<HostileRequest> JsonBodies(string route, string method, string path, string validJson, params string[] invalid) =>
        JsonBodies(route, method, path, validJson, invalid.Select(body => (Short(body), body)));

    private static IEnumerable<HostileRequest> JsonBodies(string route, string method, string path, string validJson, IEnumerable<(string Case, string Body)> invalidCases)
    {
        var invalid = invalidCases.ToList();
        foreach (var (name, body) in MalformedJson)
        {
            yield return new(route, method, $"malformed JSON: {name}", path, Json(body));
        }

        foreach (var (name, content) in WrongContentTypes(validJson))
        {
            yield return new(route, method, name, path, content);
        }

        foreach (var (name, body) in invalid)
        {
            yield return new(route, method, $"invalid: {name}", path, Json(body));
        }

        if (invalid.Count > 0)
        {
            yield return new(route, method, $"junk query; invalid: {invalid[0].Case}", path + JunkQuery, Json(invalid[0].Body));
        }
    }

    /// <summary>Each hostile name in place of <c>{name}</c> in <paramref name="pathTemplate"/>, with <paramref name="content"/>.</summary>
    private static IEnumerable<HostileRequest> HostileNames(string route, string method, string pathTemplate, Func<HttpContent?>? content = null) =>
        Names.Select(n => new HostileRequest(route, method, $"name: {n.Case}", pathTemplate.Replace("{name}", n.Segment), content));

    /// <summary>Long bodies are named by their start and end, where the variants of one template differ.</summary>
    private static string Short(string text) => text.Length > 90 ? $"{text[..40]}...{text[^45..]}" : text;
}
