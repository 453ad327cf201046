namespace OrleansML.Serving;

/// <summary>One request waiting in a replica's queue, completed with its rows of the batch's outputs.</summary>
public sealed class PendingPrediction(TensorData input)
{
    public TensorData Input { get; } = input;

    public int Rows => (int)Input.Shape[0];

    public long EnqueuedAt { get; } = System.Diagnostics.Stopwatch.GetTimestamp();

    public TaskCompletionSource<TensorData[]> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Trailing shape: only requests with the same one share a batch.</summary>
    public string RowShape { get; } = string.Join(",", input.Shape.Skip(1));
}
