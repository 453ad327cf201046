using System.Runtime.InteropServices;

namespace OrleansML.Training;

/// <summary>A checkpoint: the optimizer's step count, the flat weights and the optimizer's moment vectors.</summary>
public static class Checkpoint
{
    /// <summary>The bytes <see cref="Save"/> writes for this replica.</summary>
    public static int Length(TrainingReplica replica) =>
        sizeof(long) + sizeof(int) + replica.Size * sizeof(float) + sizeof(int) + 2 * replica.Optimizer.First.Length * sizeof(float);

    /// <summary>Writes the checkpoint into <paramref name="target"/>, exactly <see cref="Length"/> bytes.</summary>
    public static void Save(TrainingReplica replica, Span<byte> target)
    {
        var moments = replica.Optimizer.First.Length;
        MemoryMarshal.Write(target, replica.Optimizer.Steps);
        MemoryMarshal.Write(target[8..], replica.Size);
        var offset = 12;
        replica.ReadParameters(MemoryMarshal.Cast<byte, float>(target.Slice(offset, replica.Size * sizeof(float))));
        offset += replica.Size * sizeof(float);
        MemoryMarshal.Write(target[offset..], moments);
        offset += sizeof(int);
        MemoryMarshal.AsBytes(replica.Optimizer.First.AsSpan()).CopyTo(target[offset..]);
        MemoryMarshal.AsBytes(replica.Optimizer.Second.AsSpan()).CopyTo(target[(offset + moments * sizeof(float))..]);
    }

    public static void Restore(byte[] checkpoint, TrainingReplica replica)
    {
        var steps = BitConverter.ToInt64(checkpoint, 0);
        var size = BitConverter.ToInt32(checkpoint, 8);
        if (size != replica.Size)
        {
            throw new InvalidOperationException($"the checkpoint holds {size} weights; the model has {replica.Size}.");
        }

        var floats = MemoryMarshal.Cast<byte, float>(checkpoint.AsSpan(12, size * sizeof(float)));
        replica.WriteParameters(floats);
        var offset = 12 + size * sizeof(float);
        var moments = BitConverter.ToInt32(checkpoint, offset);
        offset += 4;
        MemoryMarshal.Cast<byte, float>(checkpoint.AsSpan(offset, moments * sizeof(float))).CopyTo(replica.Optimizer.First);
        MemoryMarshal.Cast<byte, float>(checkpoint.AsSpan(offset + moments * sizeof(float), moments * sizeof(float))).CopyTo(replica.Optimizer.Second);
        replica.Optimizer.Steps = steps;
    }
}
