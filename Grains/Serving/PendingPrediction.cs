namespace OrleansML.Serving;

/// <summary>
/// One request waiting in a replica's queue: its inputs in signature order, completed with its rows of the
/// batch's outputs.
/// A warm-up pass is not <see cref="Counted"/> in the statistics.
/// </summary>
public sealed class PendingPrediction(TensorData[] inputs, bool batched = true, bool counted = true)
{
    public bool Counted { get; } = counted;

    public TensorData[] Inputs { get; } = inputs;

    public int Rows => batched ? (int)Inputs[0].Shape[0] : 1;

    public long EnqueuedAt { get; } = System.Diagnostics.Stopwatch.GetTimestamp();

    public TaskCompletionSource<TensorData[]> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Every input's trailing shape: only requests with the same ones share a batch (free dimensions may differ).</summary>
    public string RowShape { get; } = string.Join(";", inputs.Select(i => string.Join(",", i.Shape.Skip(1))));
}
