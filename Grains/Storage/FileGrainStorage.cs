using System.Text;
using Orleans.Runtime;
using Orleans.Storage;

namespace OrleansML.Storage;

/// <summary>
/// Grain storage in plain files, for the embedded mode: one file per grain state, replaced atomically (write to a
/// temporary file, then rename), with the write's stamp as ETag so concurrent writers are detected. The ETag check
/// and the replace run under one lock per file (shared by every silo of the process), so of two writers holding
/// the same ETag exactly one succeeds: checked and written apart, both could pass the check and the later rename
/// silently undo the earlier write.
/// </summary>
public sealed class FileGrainStorage(string directory, IGrainStorageSerializer serializer) : IGrainStorage
{
    private static readonly SemaphoreSlim[] Locks = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();
    private static long _lastStamp;

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathOf(stateName, grainId);
        if (!File.Exists(path))
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        var bytes = await File.ReadAllBytesAsync(path);
        grainState.State = serializer.Deserialize<T>(new BinaryData(bytes));
        grainState.ETag = ETagOf(path);
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathOf(stateName, grainId);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllBytesAsync(temp, serializer.Serialize(grainState.State).ToArray());
        var gate = LockOf(path);
        await gate.WaitAsync();
        try
        {
            CheckETag(path, grainState.ETag);
            // The file system stamps a write with its clock tick (4 ms here), so two writes in one tick would share an
            // ETag: every write gets a stamp of its own.
            File.SetLastWriteTimeUtc(temp, NextStamp());
            File.Move(temp, path, overwrite: true);
            grainState.ETag = ETagOf(path);
            grainState.RecordExists = true;
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathOf(stateName, grainId);
        var gate = LockOf(path);
        await gate.WaitAsync();
        try
        {
            CheckETag(path, grainState.ETag);
            File.Delete(path);
        }
        finally
        {
            gate.Release();
        }

        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
    }

    private static SemaphoreSlim LockOf(string path) => Locks[(int)((uint)StringComparer.Ordinal.GetHashCode(path) % Locks.Length)];

    private string PathOf(string stateName, GrainId grainId)
    {
        // Grain keys are user input (model names): hex-encode them so no key can name a path outside the folder.
        var key = Convert.ToHexString(Encoding.UTF8.GetBytes(grainId.Key.ToString()!));
        return Path.Combine(directory, grainId.Type.ToString()!, $"{key}.{stateName}.bin");
    }

    private static DateTime NextStamp()
    {
        while (true)
        {
            var last = Interlocked.Read(ref _lastStamp);
            var next = Math.Max(DateTime.UtcNow.Ticks, last + 1);
            if (Interlocked.CompareExchange(ref _lastStamp, next, last) == last)
            {
                return new DateTime(next, DateTimeKind.Utc);
            }
        }
    }

    private static string ETagOf(string path) => File.GetLastWriteTimeUtc(path).Ticks.ToString("x");

    private static void CheckETag(string path, string? expected)
    {
        var actual = File.Exists(path) ? ETagOf(path) : null;
        if (actual != expected)
        {
            throw new InconsistentStateException($"ETag mismatch for {path}", actual, expected);
        }
    }
}
