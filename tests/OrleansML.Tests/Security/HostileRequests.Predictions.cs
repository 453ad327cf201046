using static OrleansML.Tests.Security.HostileInputs;
using static OrleansML.Tests.Security.KnownState;

namespace OrleansML.Tests.Security;

public static partial class HostileRequests
{
    /// <summary>Values no tensor may hold, as JSON, each in place of one number of a row of four.</summary>
    private static readonly string[] BadValues = ["\"2\"", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "1e309", "-1e309", "null", "true", "{}", "[]", "\"\\ud800\""];

    /// <summary>A ragged array of ~400 bytes whose first elements declare 10^16 values.</summary>
    private static readonly string RaggedBomb = Api.ApiFixture.RaggedBomb(16, 10);

    private static string Rows(int count) => $"[{string.Join(",", Enumerable.Repeat("[1,2,3,4]", count))}]";

    private static string Flat(int count) => $"[{string.Join(",", Enumerable.Repeat("1", count))}]";

    private static IEnumerable<HostileRequest> NativePredictions()
    {
        const string route = "/api/models/{name}/predict";
        const string path = $"/api/models/{Mlp}/predict";
        var invalid = new List<string>
        {
            "{}", """{"inputs":null}""", """{"inputs":"1,2,3,4"}""", """{"inputs":5}""", """{"inputs":{}}""", """{"inputs":[]}""",
            """{"inputs":[[]]}""", """{"inputs":[1,2,3]}""", """{"inputs":[1,2,3,4,5]}""", """{"inputs":[[1,2,3,4],[1,2,3]]}""",
            """{"inputs":[[[1,2,3,4]]]}""", $$"""{"inputs":{{RaggedBomb}}}""", $$"""{"inputs":{{Rows(HostileApiFixture.MaxPredictRows + 1)}}}""",
            $$"""{"inputs":{{Flat((int)HostileApiFixture.MaxPredictElements + 4)}}}""",
            """{"inputs":[1,2,3,4],"version":"1"}""", """{"inputs":[1,2,3,4],"version":1.5}""", """{"inputs":[1,2,3,4],"version":1e309}""",
            """{"inputs":[1,2,3,4],"version":2147483648}""", """{"inputs":[1,2,3,4],"version":9223372036854775808}""",
            """{"inputs":[1,2,3,4],"version":-1}""", """{"inputs":[1,2,3,4],"version":99}""", """{"inputs":[1,2,3,4],"version":[1]}""",
            """{"inputs":[1,2,3,4],"label":5}""", """{"inputs":[1,2,3,4],"label":["stable"]}""", """{"inputs":[1,2,3,4],"label":"nope"}""",
            """{"inputs":[1,2,3,4],"label":""}""", """{"inputs":[1,2,3,4],"label":"\ud800"}""", """{"inputs":[1,2,3,4],"label":"../../etc/passwd"}""",
            """{"inputs":[1,2,3,4],"label":"\u202Eelbats"}""", """{"inputs":[1,2,3,4],"label":"stable\u0000"}""",
        };
        invalid.AddRange(BadValues.Select(v => $$"""{"inputs":[1,2,3,{{v}}]}"""));
        return
        [
            .. JsonBodies(route, "POST", path, NativeRow, [.. invalid]),
            new(route, "POST", "body over the byte limit", path, Json($$"""{"inputs":[{{new string(' ', (int)HostileApiFixture.MaxPredictBytes)}}1]}""")),
            new(route, "POST", "declared length of 1 TB", path, () => WithLength(Json(NativeRow)(), 1L << 40)),
            new(route, "POST", "unknown model", "/api/models/no-such-model/predict", Json(NativeRow)),
            new(route, "POST", "unbatched model given two rows", $"/api/models/{Script}/predict", Json("""{"inputs":[[1,1,1,1,1,1],[1,1,1,1,1,1]]}""")),
            .. HostileNames(route, "POST", "/api/models/{name}/predict", Json(NativeRow)),
            .. WrongMethods(route, path, "POST"),
        ];
    }

    private static IEnumerable<HostileRequest> KServeInference()
    {
        const string route = "/v2/models/{model}/infer";
        const string versionRoute = "/v2/models/{model}/versions/{version}/infer";
        const string path = $"/v2/models/{Mlp}/infer";
        static string Input(string fields) => $$"""{"inputs":[{{{fields}}}]}""";
        var invalid = new List<string>
        {
            "{}", """{"inputs":null}""", """{"inputs":{}}""", """{"inputs":[]}""", """{"inputs":"x"}""", """{"inputs":[1]}""",
            $$"""{"inputs":[{{KServeRow[11..^2]}},{{KServeRow[11..^2]}}]}""",
            Input("""  "shape":[1,4],"datatype":"FP32","data":[1,2,3,4]"""),
            Input(""" "name":5,"shape":[1,4],"datatype":"FP32","data":[1,2,3,4]"""),
            Input(""" "name":"\ud800","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]"""),
            Input(""" "name":"input","shape":[1,4],"data":[1,2,3,4]"""),
            Input(""" "name":"input","shape":[1,4],"datatype":"FP16","data":[1,2,3,4]"""),
            Input(""" "name":"input","shape":[1,4],"datatype":"BYTES","data":["a","b","c","d"]"""),
            Input(""" "name":"input","shape":[1,4],"datatype":"fp32","data":[1,2,3,4]"""),
            Input(""" "name":"input","shape":[1,4],"datatype":"\udfff","data":[1,2,3,4]"""),
            Input(""" "name":"input","datatype":"FP32","data":[1,2,3,4]"""),
            Input(""" "name":"input","shape":"1,4","datatype":"FP32","data":[1,2,3,4]"""),
            Input(""" "name":"input","shape":[],"datatype":"FP32","data":[1,2,3,4]"""),
            Input(""" "name":"input","shape":[0],"datatype":"FP32","data":[]"""),
            Input(""" "name":"input","shape":[0,4],"datatype":"FP32","data":[1,2,3,4]"""),
            Input(""" "name":"input","shape":[-1,4],"datatype":"FP32","data":[1,2,3,4]"""),
            Input(""" "name":"input","shape":[1,-4],"datatype":"FP32","data":[1,2,3,4]"""),
            Input(""" "name":"input","shape":[1.5,4],"datatype":"FP32","data":[1,2,3,4]"""),
            Input(""" "name":"input","shape":["1",4],"datatype":"FP32","data":[1,2,3,4]"""),
            Input(""" "name":"input","shape":[1e309,4],"datatype":"FP32","data":[1,2,3,4]"""),
            Input(""" "name":"input","shape":[9223372036854775808,4],"datatype":"FP32","data":[1,2,3,4]"""),
            Input(""" "name":"input","shape":[1000000000,1000000000],"datatype":"FP32","data":[1]"""),
            Input(""" "name":"input","shape":[4,4611686018427387905],"datatype":"FP32","data":[1,2,3,4]"""),
            Input(""" "name":"input","shape":[1,4,1],"datatype":"FP32","data":[1,2,3,4]"""),
            Input(""" "name":"input","shape":[1,5],"datatype":"FP32","data":[1,2,3,4,5]"""),
            Input(""" "name":"input","shape":[2,2],"datatype":"FP32","data":[[1,2,3,4]]"""),
            Input(""" "name":"input","shape":[1,4],"datatype":"FP32","data":[1,2,3]"""),
            Input(""" "name":"input","shape":[1,4],"datatype":"FP32","data":"1,2,3,4" """),
            Input(""" "name":"input","shape":[1,4],"datatype":"FP32","data":{}"""),
            Input(""" "name":"input","shape":[1,4],"datatype":"FP32","data":[[1,2],[3]]"""),
            Input($$""" "name":"input","shape":[1,4],"datatype":"FP32","data":{{RaggedBomb}}"""),
            Input($$""" "name":"input","shape":[101,4],"datatype":"FP32","data":{{Rows(101)}}"""),
            Input(""" "name":"input","shape":[1,4],"datatype":"INT64","data":[1,2,3,9223372036854775808]"""),
            Input(""" "name":"input","shape":[1,4],"datatype":"INT64","data":[1,2,3,4.5]"""),
            Input(""" "name":"input","shape":[1,4],"datatype":"INT32","data":[1,2,3,2147483648]"""),
            $$"""{"id":5,{{KServeRow[1..]}}""",
            $$"""{"outputs":"output",{{KServeRow[1..]}}""",
            $$"""{"outputs":[5],{{KServeRow[1..]}}""",
            $$"""{"outputs":[{"name":5}],{{KServeRow[1..]}}""",
            $$"""{"outputs":[{"name":"nope"}],{{KServeRow[1..]}}""",
            $$"""{"outputs":[{}],{{KServeRow[1..]}}""",
        };
        invalid.AddRange(BadValues.Select(v => Input($$""" "name":"input","shape":[1,4],"datatype":"FP32","data":[1,2,3,{{v}}]""")));
        return
        [
            .. JsonBodies(route, "POST", path, KServeRow, [.. invalid]),
            new(route, "POST", "body over the byte limit", path, Json(new string(' ', (int)HostileApiFixture.MaxPredictBytes) + KServeRow)),
            new(route, "POST", "unknown model", "/v2/models/no-such-model/infer", Json(KServeRow)),
            new(route, "POST", "unbatched model given two rows", $"/v2/models/{Script}/infer",
                Json("""{"inputs":[{"name":"input","shape":[2,6],"datatype":"FP32","data":[1,1,1,1,1,1,1,1,1,1,1,1]}]}""")),
            .. Names.Select(n => new HostileRequest(route, "POST", $"name: {n.Case}", $"/v2/models/{n.Segment}/infer", Json(KServeRow))),
            .. Versions.Skip(2).Select(v => new HostileRequest(versionRoute, "POST", $"version {v}", $"/v2/models/{Mlp}/versions/{v}/infer", Json(KServeRow))),
            new(versionRoute, "POST", "malformed body on a version", $"/v2/models/{Mlp}/versions/1/infer", Json("""{"inputs":[""")),
            new(versionRoute, "POST", "text/plain on a version", $"/v2/models/{Mlp}/versions/1/infer", () => Text(KServeRow, "text/plain")),
            .. Names.Select(n => new HostileRequest(versionRoute, "POST", $"name: {n.Case}", $"/v2/models/{n.Segment}/versions/1/infer", Json(KServeRow))),
            .. WrongMethods(route, path, "POST"),
            .. WrongMethods(versionRoute, $"/v2/models/{Mlp}/versions/1/infer", "POST"),
        ];
    }

    private static IEnumerable<HostileRequest> TensorFlowServingPredictions()
    {
        const string route = "/v1/models/{model}:predict";
        const string versionRoute = "/v1/models/{model}/versions/{version}:predict";
        const string labelRoute = "/v1/models/{model}/labels/{label}:predict";
        const string path = $"/v1/models/{Mlp}:predict";
        var invalid = new List<string>
        {
            "{}", """{"instances":null}""", """{"instances":"x"}""", """{"instances":5}""", """{"instances":[]}""", """{"instances":[[]]}""",
            """{"instances":[1,2,3,4]}""", """{"instances":[[1,2,3]]}""", """{"instances":[[1,2,3,4],[1,2]]}""", """{"instances":[[[1,2,3,4]]]}""",
            """{"instances":[[1,2,3,4]],"inputs":[[1,2,3,4]]}""", """{"inputs":{"a":[[1,2,3,4]],"b":[[1,2,3,4]]}}""", """{"inputs":5}""",
            """{"inputs":null}""", """{"instances":[{"a":[1,2,3,4],"b":[1]}]}""", """{"instances":[{"a":[1,2,3,4]},5]}""", """{"instances":[{}]}""",
            $$"""{"instances":{{RaggedBomb}}}""", $$"""{"instances":{{Rows(HostileApiFixture.MaxPredictRows + 1)}}}""",
            $$"""{"inputs":{{Flat((int)HostileApiFixture.MaxPredictElements + 4)}}}""",
        };
        invalid.AddRange(BadValues.Select(v => $$"""{"instances":[[1,2,3,{{v}}]]}"""));
        return
        [
            .. JsonBodies(route, "POST", path, TfRow, [.. invalid]),
            new(route, "POST", "body over the byte limit", path, Json(new string(' ', (int)HostileApiFixture.MaxPredictBytes) + TfRow)),
            new(route, "POST", "unknown model", "/v1/models/no-such-model:predict", Json(TfRow)),
            .. Names.Select(n => new HostileRequest(route, "POST", $"name: {n.Case}", $"/v1/models/{n.Segment}:predict", Json(TfRow))),
            .. Versions.Skip(2).Select(v => new HostileRequest(versionRoute, "POST", $"version {v}", $"/v1/models/{Mlp}/versions/{v}:predict", Json(TfRow))),
            new(versionRoute, "POST", "malformed body on a version", $"/v1/models/{Mlp}/versions/1:predict", Json("""{"instances":[""")),
            .. Names.Take(8).Select(n => new HostileRequest(labelRoute, "POST", $"label: {n.Case}", $"/v1/models/{Mlp}/labels/{n.Segment}:predict", Json(TfRow))),
            new(labelRoute, "POST", "unknown label", $"/v1/models/{Mlp}/labels/nope:predict", Json(TfRow)),
            new(labelRoute, "POST", "malformed body on a label", $"/v1/models/{Mlp}/labels/stable:predict", Json("""{"instances":"x"}""")),
            new(labelRoute, "POST", "form on a label", $"/v1/models/{Mlp}/labels/stable:predict", () => new FormUrlEncodedContent([new("instances", "[[1,2,3,4]]")])),
            .. WrongMethods(route, path, "POST"),
            .. WrongMethods(versionRoute, $"/v1/models/{Mlp}/versions/1:predict", "POST"),
            .. WrongMethods(labelRoute, $"/v1/models/{Mlp}/labels/stable:predict", "POST"),
        ];
    }
}
