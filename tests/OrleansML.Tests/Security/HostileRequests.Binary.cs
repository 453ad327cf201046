using System.Text;
using OrleansML.Tests.Api;
using static OrleansML.Tests.Security.KnownState;

namespace OrleansML.Tests.Security;

public static partial class HostileRequests
{
    /// <summary>The V2 binary tensor data extension, each framing mistake a stock client could make.</summary>
    private static IEnumerable<HostileRequest> KServeBinaryInference()
    {
        const string route = "/v2/models/{model}/infer";
        const string path = $"/v2/models/{Mlp}/infer";
        var row = V2Binary.Floats(1, 2, 3, 4);
        static byte[] Header(string inputs, string extra = "") => Encoding.UTF8.GetBytes($$"""{"inputs":[{{inputs}}]{{extra}}}""");
        static string Input(string name, string datatype, string shape, string size) =>
            $$$"""{"name":"{{{name}}}","datatype":"{{{datatype}}}","shape":{{{shape}}},"parameters":{"binary_data_size":{{{size}}}}}""";
        HostileRequest Binary(string problem, byte[] json, byte[][] parts, string? headerLength) =>
            new(route, "POST", $"binary: {problem}", path, () => V2Binary.Raw(json, parts, headerLength ?? json.Length.ToString()));
        byte[] good = Header(Input("input", "FP32", "[1,4]", "16"));
        return
        [
            Binary("header length not a number", good, [row], "sixteen"),
            Binary("header length negative", good, [row], "-5"),
            Binary("header length zero", good, [row], "0"),
            Binary("header length past the body", good, [row], "100000"),
            Binary("header length cuts the JSON", good, [row], (good.Length - 3).ToString()),
            Binary("binary_data_size larger than the rest of the body", Header(Input("input", "FP32", "[1,4]", "64")), [row], null),
            Binary("binary_data_size negative", Header(Input("input", "FP32", "[1,4]", "-16")), [row], null),
            Binary("binary_data_size not a number", Header(Input("input", "FP32", "[1,4]", "\"16\"")), [row], null),
            Binary("binary_data_size disagrees with the shape", Header(Input("input", "FP32", "[1,3]", "16")), [row], null),
            Binary("bytes left over after the inputs", good, [row, [1, 2, 3, 4]], null),
            Binary("both data and binary_data_size", Header("""{"name":"input","datatype":"FP32","shape":[1,4],"data":[1,2,3,4],"parameters":{"binary_data_size":16}}"""), [row], null),
            new(route, "POST", "binary: binary_data_size in a JSON body without the header", path, HostileInputs.Json(Encoding.UTF8.GetString(good))),
            Binary("neither data nor binary_data_size", Header("""{"name":"input","datatype":"FP32","shape":[1,4]}"""), [row], null),
            Binary("wrong datatype", Header(Input("input", "FP16", "[1,4]", "8")), [row[..8]], null),
            Binary("unknown datatype", Header(Input("input", "FP8", "[1,4]", "16")), [row], null),
            Binary("unknown input name", Header(Input("pixels", "FP32", "[1,4]", "16")), [row], null),
            Binary("duplicated input", Header(Input("input", "FP32", "[1,4]", "16") + "," + Input("input", "FP32", "[1,4]", "16")), [row, row], null),
            Binary("requested output that does not exist", Header(Input("input", "FP32", "[1,4]", "16"), ""","outputs":[{"name":"logits"}]"""), [row], null),
            Binary("binary_data flag not a boolean", Header(Input("input", "FP32", "[1,4]", "16"), ""","outputs":[{"name":"output","parameters":{"binary_data":"yes"}}]"""), [row], null),
            Binary("BYTES element whose length runs past its tensor", Header(Input("input", "BYTES", "[1,1]", "8")), [[200, 0, 0, 0, 1, 2, 3, 4]], null),
            Binary("BYTES tensor for an FP32 model", Header(Input("input", "BYTES", "[1,4]", "20")), [[1, 0, 0, 0, 65, 1, 0, 0, 0, 66, 1, 0, 0, 0, 67, 1, 0, 0, 0, 68]], null),
        ];
    }
}
