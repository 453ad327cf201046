using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using OrleansML.Training;

namespace OrleansML.Tests.Training;

/// <summary>Starts training jobs through REST and polls them, with a deadline, until they finish.</summary>
public static class TrainingHttp
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static async Task<TrainingJobStatus> RunAsync(HttpClient http, object job, TimeSpan deadline)
    {
        var start = await http.PostAsJsonAsync("/api/training/jobs", job, Json);
        Assert.True(start.StatusCode == HttpStatusCode.Accepted, $"{start.StatusCode}: {await start.Content.ReadAsStringAsync()}");
        var location = start.Headers.Location!.ToString();
        using var timeout = new CancellationTokenSource(deadline);
        while (true)
        {
            var status = (await http.GetFromJsonAsync<TrainingJobStatus>(location, Json, timeout.Token))!;
            if (status.IsFinished)
            {
                return status;
            }

            await Task.Delay(100, timeout.Token);
        }
    }

    /// <summary>A CSV's feature rows and class indices (the label is the last column, an integer class).</summary>
    public static (float[][] Rows, int[] Labels) Parse(string csv)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => l.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        return (lines.Select(l => l[..^1]).ToArray(), lines.Select(l => (int)l[^1]).ToArray());
    }
}
