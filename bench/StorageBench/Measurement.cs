using System.Text.Json;

namespace OrleansML.Bench;

/// <summary>One figure of the run, printed as a JSON line that bench/storage.sh collects.</summary>
public sealed record Measurement(string Store, string Step, long Bytes, double Seconds, long? PeakRssKb = null, double? ReadySeconds = null, double? PredictSeconds = null, string? Note = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public void Print() => Console.WriteLine(JsonSerializer.Serialize(this, Json));
}
