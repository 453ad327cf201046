using static OrleansML.Tests.Security.HostileInputs;
using static OrleansML.Tests.Security.KnownState;

namespace OrleansML.Tests.Security;

public static partial class HostileRequests
{
    /// <summary>Job ids that are not ids, and one that is well-formed but unknown.</summary>
    private static readonly (string Case, string Segment)[] JobIds =
    [
        ("unknown", new string('0', 32)), ("uppercase hex", new string('A', 32)), ("31 characters", new string('a', 31)),
        ("33 characters", new string('a', 33)), ("not hex", new string('z', 32)), ("GUID with dashes", Guid.Empty.ToString()),
        .. Names,
    ];

    private static readonly (string Key, string Raw)[] NewJob =
    [
        ("model", "\"hostile-new\""), ("dataset", $"\"{Dataset}\""),
        ("architecture", """{"type":"mlp","inputs":4,"hidden":[4],"outputs":3}"""), ("epochs", "1"), ("batchSize", "10"),
    ];

    private static readonly (string Key, string Raw)[] NewScoring =
    [
        ("model", $"\"{Mlp}\""), ("dataset", $"\"{Dataset}\""), ("outputDataset", "\"hostile-out\""),
    ];

    /// <summary>
    /// A JSON object of <paramref name="fields"/> with each of <paramref name="members"/> (<c>"key":value</c>) in place
    /// of the field of that key, or added. Replaced, not repeated: with a repeated key the last one wins.
    /// </summary>
    private static string Spec((string Key, string Raw)[] fields, params string[] members)
    {
        var result = fields.ToList();
        foreach (var member in members)
        {
            var key = member[1..member.IndexOf('"', 1)];
            var raw = member[(member.IndexOf(':') + 1)..];
            var index = result.FindIndex(f => f.Key == key);
            if (index < 0)
            {
                result.Add((key, raw));
            }
            else
            {
                result[index] = (key, raw);
            }
        }

        return "{" + string.Join(",", result.Select(f => $"\"{f.Key}\":{f.Raw}")) + "}";
    }

    /// <summary>Query values a job list cannot parse: pages and page sizes out of range or not numbers, unknown states, bad model names.</summary>
    private static readonly string[] BadListQueries =
    [
        "page=0", "page=-1", "page=abc", "page=1.5", "page=2147483648", "page=", "page=%201", "page=1e3",
        "pageSize=0", "pageSize=101", "pageSize=-5", "pageSize=abc", "pageSize=", "pageSize=99999999999999999999",
        "state=bogus", "state=", "state=1", "state=Pending,Running", "state=%00", "state=Runn%C3%AFng",
        "model=..%2F..%2Fetc", "model=%00", $"model={new string('m', 65)}", "model=",
    ];

    private const string ListRead = "a job list: unknown query parameters and a body are ignored, as HTTP allows; nothing changes";

    private static IEnumerable<HostileRequest> JobLists(string route, string path) =>
    [
        .. BadListQueries.Select(query => new HostileRequest(route, "GET", $"list: {query}", $"{path}?{query}")),
        new(route, "GET", "junk query", path + JunkQuery) { Tolerated = ListRead },
        new(route, "GET", "GET with a malformed body", path, Json("{")) { Tolerated = ListRead },
    ];

    private static IEnumerable<HostileRequest> Training(KnownState state)
    {
        const string start = "/api/training/jobs/";
        var invalid = new[]
        {
            """{"epochs":0}""", """{"epochs":-1}""", """{"epochs":1e309}""", """{"epochs":"1"}""", """{"epochs":2147483648}""", """{"epochs":1.5}""",
            """{"batchSize":0}""", """{"batchSize":-5}""", """{"batchSize":1000000}""", """{"learningRate":0}""", """{"learningRate":-1}""",
            """{"learningRate":"NaN"}""", """{"learningRate":1e309}""", """{"optimizer":"rmsprop"}""", """{"optimizer":""}""", """{"optimizer":5}""",
            """{"allReduce":"tree"}""", """{"validationSplit":1}""", """{"validationSplit":-0.1}""", """{"workers":0}""", """{"workers":65}""",
            """{"maxRounds":0}""", """{"promote":"../stable"}""", """{"promote":""}""", """{"model":"../../etc/passwd"}""", """{"model":""}""",
            """{"model":null}""", """{"model":5}""", """{"model":"\ud800"}""", $$"""{"model":"{{new string('m', 65)}}"}""",
            """{"dataset":"no-such-dataset"}""", """{"dataset":"..%2F"}""", """{"architecture":{"type":"mlp","inputs":5,"hidden":[4],"outputs":3}}""",
            """{"architecture":{"type":"mlp","inputs":4,"hidden":[4],"outputs":7}}""", """{"architecture":{"type":"rnn","inputs":4,"hidden":[4],"outputs":3}}""",
            """{"architecture":{"type":"mlp","inputs":4,"hidden":[0],"outputs":3}}""", $$"""{"architecture":{{OverflowingArchitecture}}}""",
            """{"architecture":null}""", $$"""{"model":"{{Script}}"}""", """{"baseVersion":1}""",
        };
        var requests = JsonBodies(start, "POST", "/api/training/jobs", Spec(NewJob),
            [
                .. invalid.Select(c => (c, Spec(NewJob, c[1..^1]))),
                ("model with baseVersion 99", Spec(NewJob, $"\"model\":\"{Mlp}\"", "\"baseVersion\":99")),
                ("dataset only", """{"dataset":"hostile-data"}"""),
            ]).ToList();
        requests.AddRange(WrongMethods(start, "/api/training/jobs", "POST", "GET"));
        requests.AddRange(JobLists(start, "/api/training/jobs"));

        const string job = "/api/training/jobs/{id}";
        requests.AddRange(JobIds.Select(id => new HostileRequest(job, "GET", $"id: {id.Case}", $"/api/training/jobs/{id.Segment}")));
        requests.AddRange(JobIds.Select(id => new HostileRequest(job, "DELETE", $"id: {id.Case}", $"/api/training/jobs/{id.Segment}")));
        requests.Add(new(job, "DELETE", "a finished job", $"/api/training/jobs/{state.TrainingJob}"));
        requests.AddRange(WrongMethods(job, $"/api/training/jobs/{state.TrainingJob}", "GET", "DELETE"));

        const string events = "/api/training/jobs/{id}/events";
        requests.AddRange(JobIds.Select(id => new HostileRequest(events, "GET", $"id: {id.Case}", $"/api/training/jobs/{id.Segment}/events")));
        requests.AddRange(WrongMethods(events, $"/api/training/jobs/{state.TrainingJob}/events", "GET"));
        return requests;
    }

    private static IEnumerable<HostileRequest> Scoring(KnownState state)
    {
        const string start = "/api/scoring/jobs/";
        var invalid = new[]
        {
            """ "version":99 """, """ "version":-1 """, """ "version":"1" """, """ "version":1e309 """,
            """ "label":"nope" """, """ "label":5 """, """ "partitions":0 """, """ "partitions":-1 """, """ "partitions":1e309 """,
            """ "output":"probabilities" """, """ "output":null """, $$""" "outputDataset":"{{Dataset}}" """, $$""" "outputDataset":"{{Scored}}" """,
            """ "outputDataset":"../x" """, """ "outputDataset":"" """, $$""" "model":"{{Script}}" """, """ "model":"no-such-model" """,
            """ "dataset":"no-such-dataset" """, """ "dataset":"\ud800" """, """ "model":null """,
            """ "outputFormat":"orc" """, """ "outputFormat":5 """, """ "outputFormat":"parquet" """, """ "outputUrl":"file:///etc/" """,
        };
        var requests = JsonBodies(start, "POST", "/api/scoring/jobs", Spec(NewScoring),
            [
                .. invalid.Select(c => (c.Trim(), Spec(NewScoring, c.Trim()))),
                ("version and label", Spec(NewScoring, "\"version\":1", "\"label\":\"stable\"")),
                ("model only", """{"model":"hostile-mlp"}"""),
                ("no model", """{"dataset":"hostile-data","outputDataset":"x"}"""),
            ]).ToList();
        requests.AddRange(WrongMethods(start, "/api/scoring/jobs", "POST", "GET"));
        requests.AddRange(JobLists(start, "/api/scoring/jobs"));
        requests.Add(new(start, "GET", "state a scoring job never has", "/api/scoring/jobs?state=Cancelled"));

        const string job = "/api/scoring/jobs/{id}";
        requests.AddRange(JobIds.Select(id => new HostileRequest(job, "GET", $"id: {id.Case}", $"/api/scoring/jobs/{id.Segment}")));
        requests.AddRange(WrongMethods(job, $"/api/scoring/jobs/{state.ScoringJob}", "GET"));

        const string events = "/api/scoring/jobs/{id}/events";
        requests.AddRange(JobIds.Select(id => new HostileRequest(events, "GET", $"id: {id.Case}", $"/api/scoring/jobs/{id.Segment}/events")));
        requests.AddRange(WrongMethods(events, $"/api/scoring/jobs/{state.ScoringJob}/events", "GET"));
        return requests;
    }
}
