namespace OrleansML.Torch;

/// <summary>
/// torch's default random generator is process-wide: whoever seeds it and draws weights holds this lock, so
/// concurrent model creations and training jobs stay reproducible.
/// </summary>
public static class TorchGenerator
{
    public static readonly Lock Lock = new();
}
