using System.Text;
using Orleans.Runtime;
using Orleans.Storage;

namespace OrleansML.Storage;

/// <summary>
/// Grain storage in plain files, for the embedded mode: one file per grain state, replaced atomically (write to a
/// temporary file, then rename), with the write's stamp as ETag so concurrent writers are detected.
/// </summary>
public sealed class FileGrainStorage(string directory, IGrainStorageSerializer serializer) : IGrainStorage
{
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
        CheckETag(path, grainState.ETag);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllBytesAsync(temp, serializer.Serialize(grainState.State).ToArray());
        // The file system stamps a write with its clock tick (4 ms here), so two writes in one tick would share an
        // ETag: every write gets a stamp of its own.
        File.SetLastWriteTimeUtc(temp, NextStamp());
        File.Move(temp, path, overwrite: true);
        grainState.ETag = ETagOf(path);
        grainState.RecordExists = true;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathOf(stateName, grainId);
        CheckETag(path, grainState.ETag);
        File.Delete(path);
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
        return Task.CompletedTask;
    }

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
