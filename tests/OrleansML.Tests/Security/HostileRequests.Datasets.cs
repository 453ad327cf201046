using System.Text;
using static OrleansML.Tests.Security.HostileInputs;
using static OrleansML.Tests.Security.KnownState;

namespace OrleansML.Tests.Security;

public static partial class HostileRequests
{
    private const string GoodCsv = "a,b,c,d,y\n1,2,3,4,0\n";

    /// <summary>CSV bodies the importer must refuse (uploaded with <c>?label=y</c>).</summary>
    private static IEnumerable<(string Case, byte[] Body)> MalformedCsv()
    {
        byte[] bom = [0xEF, 0xBB, 0xBF];
        return
        [
            ("non-numeric cell", Utf8("a,b,c,d,y\n1,x,3,4,0\n")),
            ("ragged row (short)", Utf8("a,b,c,d,y\n1,2,3\n")),
            ("ragged row (long)", Utf8("a,b,c,d,y\n1,2,3,4,0,9\n")),
            ("missing label column", Utf8("a,b,c,d,e\n1,2,3,4,0\n")),
            ("only the label column", Utf8("y\n1\n")),
            ("only a header", Utf8("a,b,c,d,y\n")),
            ("only a header, no newline", Utf8("a,b,c,d,y")),
            ("empty", []),
            ("blank lines", Utf8("\n\n\n")),
            ("UTF-8 BOM and only a header", [.. bom, .. Utf8("a,b,c,d,y\n")]),
            ("UTF-16 BOM over UTF-8 text", [0xFF, 0xFE, .. Utf8(GoodCsv)]),
            ("BOM inside a cell", Utf8("a,b,c,d,y\n\uFEFF1,2,3,4,0\n")),
            ("NUL in a cell", Utf8("a,b,c,d,y\n1\0,2,3,4,0\n")),
            ("NaN cell", Utf8("a,b,c,d,y\nNaN,2,3,4,0\n")),
            ("Infinity cell", Utf8("a,b,c,d,y\n1,Infinity,3,4,0\n")),
            ("float overflow", Utf8("a,b,c,d,y\n1,2,1e39,4,0\n")),
            ("quoted comma", Utf8("a,b,c,d,y\n\"1,5\",2,3,4,0\n")),
            ("binary garbage", Garbage(8192, seed: 5)),
            ("a bad row after a full partition", Utf8("a,b,c,d,y\n" + string.Concat(Enumerable.Repeat("1,2,3,4,0\n", 4200)) + "1,2,x,4,0\n")),
            ("a 600 KB line", Utf8("a,b,c,d,y\n" + new string('1', 600_000) + "\n")),
        ];
    }

    private static IEnumerable<HostileRequest> Datasets()
    {
        const string route = "/api/datasets/{name}";
        const string path = "/api/datasets/hostile-upload?label=y";
        HostileRequest Send(string @case, Func<HttpContent> content, string target = path) => new(route, "POST", @case, target, content);

        var requests = new List<HostileRequest>();
        requests.AddRange(MalformedCsv().Select(c => Send($"CSV: {c.Case}", () => Bytes(c.Body, "text/csv"))));
        requests.Add(Send("malformed CSV over an existing dataset", () => Text("a,b,c,d,y\n1,x,3,4,0\n", "text/csv"), $"/api/datasets/{Dataset}?label=y"));
        requests.Add(Send("over the size limit", () => Text("a,b,c,d,y\n" + string.Concat(Enumerable.Repeat("1,2,3,4,0\n", 110_000)), "text/csv")));
        requests.Add(Send("declared length of 1 TB", () => { var content = Text(GoodCsv, "text/csv"); content.Headers.ContentLength = 1L << 40; return content; }));
        foreach (var (name, query) in new[]
        {
            ("no label parameter", ""), ("empty label", "?label="), ("label not in the header", "?label=z"), ("NUL label", "?label=%00"),
            ("two labels", "?label=a&label=y"), ("traversal label", "?label=..%2F..%2Fetc"), ("emoji label", "?label=%F0%9F%A4%96"),
            ("broken escape", "?label=%ZZ"), ("junk query", JunkQuery),
        })
        {
            requests.Add(Send(name, () => Text(GoodCsv, "text/csv"), "/api/datasets/hostile-upload" + query));
        }

        requests.Add(Send("JSON where CSV expected", Json("""{"a":1,"y":0}""")));
        requests.Add(Send("XML where CSV expected", () => Text("<rows><row a=\"1\" y=\"0\"/></rows>", "application/xml")));
        requests.Add(Send("form without a file", () => new FormUrlEncodedContent([new("a", "1"), new("y", "0")])));
        requests.AddRange(HostileMultipart.Malformed("file").Select(m => Send($"multipart: {m.Case}", m.Content)));
        requests.Add(Send("multipart with the CSV under another part name", () => Form("data", Utf8(GoodCsv))));
        requests.Add(Send("multipart with a malformed CSV", () => Form("file", Utf8("a,b,c,d,y\n1,2\n"))));
        requests.AddRange(Names.Select(n => Send($"name: {n.Case}", () => Text(GoodCsv, "text/csv"), $"/api/datasets/{n.Segment}?label=y")));
        requests.Add(new(route, "GET", "unknown dataset", "/api/datasets/no-such-dataset"));
        requests.AddRange(Names.Select(n => new HostileRequest(route, "GET", $"name: {n.Case}", $"/api/datasets/{n.Segment}")));
        requests.AddRange(WrongMethods(route, $"/api/datasets/{Dataset}", "GET", "POST"));

        const string list = "/api/datasets/";
        requests.Add(new(list, "GET", "junk query", "/api/datasets" + JunkQuery) { Tolerated = ReadOnly });
        requests.AddRange(WrongMethods(list, "/api/datasets", "GET"));

        const string content = "/api/datasets/{name}/content";
        requests.Add(new(content, "GET", "unknown dataset", "/api/datasets/no-such-dataset/content"));
        requests.AddRange(Names.Select(n => new HostileRequest(content, "GET", $"name: {n.Case}", $"/api/datasets/{n.Segment}/content")));
        requests.AddRange(WrongMethods(content, $"/api/datasets/{Dataset}/content", "GET"));
        return requests;
    }
}
