using System.Buffers;

namespace OrleansML.Storage;

/// <summary>
/// Cuts a stream into parts of a fixed size for the object stores' multipart uploads, with two pooled buffers: part
/// i uploads while part i+1 is read, and no more than two parts are ever held, however large the artifact.
/// </summary>
public static class StreamParts
{
    /// <summary>
    /// Calls <paramref name="upload"/> with each part's index, bytes and whether it is known to be the last (it is
    /// shorter than a part), in order and one at a time. An empty stream is one empty last part. A full-size part may
    /// turn out to be the last one only after it was sent. Returns the number of parts.
    /// </summary>
    public static async Task<int> ForEachAsync(
        Stream content, int partSize, Func<int, ArraySegment<byte>, bool, Task> upload, CancellationToken cancellationToken)
    {
        byte[][] buffers = [ArrayPool<byte>.Shared.Rent(partSize), ArrayPool<byte>.Shared.Rent(partSize)];
        try
        {
            var read = await content.ReadAtLeastAsync(buffers[0].AsMemory(0, partSize), partSize, throwOnEndOfStream: false, cancellationToken);
            for (var index = 0; ; index++)
            {
                var last = read < partSize;
                var sending = upload(index, new ArraySegment<byte>(buffers[index % 2], 0, read), last);
                if (last)
                {
                    await sending;
                    return index + 1;
                }

                int next;
                try
                {
                    next = await content.ReadAtLeastAsync(buffers[(index + 1) % 2].AsMemory(0, partSize), partSize, throwOnEndOfStream: false, cancellationToken);
                }
                catch
                {
                    // The reader's failure is the one to report; the part in flight must finish before its buffer goes back.
                    await sending.ContinueWith(static _ => { }, TaskScheduler.Default);
                    throw;
                }

                await sending;
                if (next == 0)
                {
                    return index + 1;
                }

                read = next;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffers[0]);
            ArrayPool<byte>.Shared.Return(buffers[1]);
        }
    }
}
