using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Training;

/// <summary>Predicts rows through the KServe V2 REST protocol, and scores the answers as a classifier's.</summary>
public static class KServeInference
{
    /// <summary>The logits of every row, sent as <paramref name="batches"/> infer requests of shape [n, width].</summary>
    public static async Task<float[][]> InferAsync(HttpClient http, string model, int version, float[][] rows, int batches = 4)
    {
        var width = rows[0].Length;
        var size = (rows.Length + batches - 1) / batches;
        var logits = new List<float[]>(rows.Length);
        foreach (var chunk in rows.Chunk(size))
        {
            var request = new { inputs = new[] { new { name = "input", shape = new[] { chunk.Length, width }, datatype = "FP32", data = chunk.SelectMany(r => r) } } };
            var response = await http.PostAsJsonAsync($"/v2/models/{model}/versions/{version}/infer", request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}: {body}");
            var output = JsonDocument.Parse(body).RootElement.GetProperty("outputs")[0];
            var shape = output.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
            Assert.Equal(chunk.Length, shape[0]);
            var data = output.GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray();
            logits.AddRange(data.Chunk(shape[1]));
        }

        return [.. logits];
    }

    public static double Accuracy(float[][] logits, int[] labels) =>
        logits.Select((row, i) => Array.IndexOf(row, row.Max()) == labels[i] ? 1.0 : 0.0).Average();

    /// <summary>Mean cross-entropy of the logits against class indices, as <c>torch.nn.functional.cross_entropy</c>.</summary>
    public static double CrossEntropy(float[][] logits, int[] labels) =>
        logits.Select((row, i) =>
        {
            var max = row.Max();
            var logSum = Math.Log(row.Sum(v => Math.Exp(v - max))) + max;
            return logSum - row[labels[i]];
        }).Average();

    /// <summary>The optdigits test set: 64 features and the digit of each row.</summary>
    public static (float[][] Rows, int[] Labels) OptDigitsTest()
    {
        var lines = File.ReadAllLines(Fixtures.OptDigitsTest).Skip(1).Where(l => l.Length > 0)
            .Select(l => l.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        return (lines.Select(l => l[..64]).ToArray(), lines.Select(l => (int)l[64]).ToArray());
    }
}
