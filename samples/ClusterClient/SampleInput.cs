using System.Globalization;
using OrleansML.Serving;

namespace OrleansML.Samples.ClusterClient;

/// <summary>Builds one input row shaped by the default version's signature (its first input; the silo converts to its datatype).</summary>
public static class SampleInput
{
    public static TensorData For(ModelInfo model, string? values)
    {
        var version = model.Versions.FirstOrDefault(v => v.Version == model.DefaultVersion)
            ?? throw new InvalidOperationException($"model '{model.Name}' has no available version");
        var spec = version.Signature.Inputs[0];
        var row = values is null
            ? Enumerable.Repeat(1.0, (int)spec.RowSize).ToArray()
            : values.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        long[] dims = row.Length == spec.RowSize ? [.. spec.Shape.Skip(spec.IsBatched ? 1 : 0)] : [row.Length];
        long[] shape = spec.IsBatched ? [1, .. dims] : dims;
        return TensorData.Of<double>(spec.Name, shape, row);
    }
}
