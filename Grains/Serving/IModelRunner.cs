namespace OrleansML.Serving;

/// <summary>
/// A model version loaded into one engine on one device: what a <see cref="Replica"/> runs its batches on. The
/// replica owns it and disposes it once the last in-flight request is done. Runs never overlap (the replica's
/// batcher runs one at a time).
/// </summary>
public interface IModelRunner : IDisposable
{
    /// <summary>Native memory the loaded model holds, for the silo's memory budget.</summary>
    long Bytes { get; }

    /// <summary>Where it runs, as the silo reports it (<c>cpu</c>, <c>cuda:0</c>).</summary>
    string Device { get; }

    /// <summary>
    /// One forward pass. Each input (in signature order) is one tensor of <see cref="RunnerInput.Shape"/> whose
    /// values are the requests' buffers back to back; returns every output whole, in the model's order, and notes in
    /// <paramref name="times"/> when the inputs were ready for the engine and when the engine was done.
    /// </summary>
    TensorData[] Run(IReadOnlyList<RunnerInput> inputs, RunTimes times);
}

/// <summary>One input of a forward pass: its datatype and shape, and the buffers that hold its values in order.</summary>
public sealed record RunnerInput(TensorDataType DataType, long[] Shape, IReadOnlyList<byte[]> Buffers);

/// <summary>Timestamps of one run (<see cref="System.Diagnostics.Stopwatch"/> ticks): the statistics' compute_input and compute_infer split.</summary>
public sealed class RunTimes
{
    public long InputsReady { get; set; }

    public long InferDone { get; set; }
}
