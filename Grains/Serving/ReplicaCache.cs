using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansML.Errors;
using OrleansML.Onnx;
using OrleansML.Storage;
using OrleansML.Torch;

namespace OrleansML.Serving;

/// <summary>
/// This silo's loaded model versions, shared by all predictor activations here. A version loads once (concurrent
/// first requests wait on the same load), its artifact's SHA-256 is verified, and it lands on one of the silo's
/// devices. Versions leave when routing stops serving them, when idle too long, or least-recently-used first when
/// the silo's memory budget is exceeded.
/// </summary>
public sealed partial class ReplicaCache
{
    // An ONNX version's replicas are also told apart by their session settings, so a change of them loads the new
    // replica beside the old one (warmed before routing moves) instead of replacing it under in-flight requests.
    private readonly ConcurrentDictionary<(string Model, int Version, OnnxSessionSettings? Session), Lazy<Task<Replica>>> _replicas = new();
    private readonly IArtifactStore _artifacts;
    private readonly TorchDevices _devices;
    private readonly ServingMetrics _metrics;
    private readonly ServingOptions _options;
    private readonly ILogger<ReplicaCache> _logger;
    private int _loads;

    public ReplicaCache(IArtifactStore artifacts, TorchDevices devices, ServingMetrics metrics, IOptions<ServingOptions> options, ILogger<ReplicaCache> logger)
    {
        _artifacts = artifacts;
        _devices = devices;
        _metrics = metrics;
        _options = options.Value;
        _logger = logger;
        metrics.LoadedModels = () => Loaded().Count();
        metrics.LoadedMemory = () => LoadedEntries().Select(e => (e.Key.Model, e.Key.Version, e.Replica.Bytes));
    }

    /// <summary>A loaded replica of the version, held for one request: call <see cref="Replica.Release"/> after.</summary>
    public async Task<Replica> AcquireAsync(string model, ModelVersionInfo version, BatchingSettings batching, OnnxSessionSettings onnxSession)
    {
        var session = SessionOf(version, onnxSession);
        var key = (model, version.Version, session);
        while (true)
        {
            var lazy = _replicas.GetOrAdd(key, _ => new Lazy<Task<Replica>>(() => Task.Run(() => LoadAsync(model, version, batching, session))));
            Replica replica;
            try
            {
                replica = await lazy.Value;
            }
            catch
            {
                _replicas.TryRemove(new(key, lazy));
                throw;
            }

            if (replica.Version.Sha256 != version.Sha256)
            {
                // The same number now names other weights (a model deleted and created again): load afresh.
                Retire(key, lazy);
                continue;
            }

            if (replica.TryAcquire())
            {
                return replica;
            }

            _replicas.TryRemove(new(key, lazy));
        }
    }

    /// <summary>Retires every loaded version of the model that routing no longer serves, or serves with other ONNX session settings.</summary>
    public void KeepOnly(string model, ISet<int> serving, OnnxSessionSettings? onnxSession = null)
    {
        foreach (var (key, lazy) in _replicas)
        {
            if (key.Model == model && (!serving.Contains(key.Version) || (key.Session is not null && key.Session != onnxSession)))
            {
                Retire(key, lazy);
            }
        }
    }

    /// <summary>Unloads versions idle for longer than the configured time.</summary>
    public void UnloadIdle()
    {
        var cutoff = Environment.TickCount64 - (long)_options.IdleUnloadAfter.TotalMilliseconds;
        foreach (var (key, lazy, replica) in LoadedEntries())
        {
            if (replica.LastUsedTicks < cutoff)
            {
                LogUnloadedIdle(key.Model, key.Version);
                Retire(key, lazy);
            }
        }
    }

    public IEnumerable<Replica> Loaded() => LoadedEntries().Select(e => e.Replica);

    private IEnumerable<((string Model, int Version, OnnxSessionSettings? Session) Key, Lazy<Task<Replica>> Lazy, Replica Replica)> LoadedEntries() =>
        _replicas
            .Where(e => e.Value.IsValueCreated && e.Value.Value.IsCompletedSuccessfully && !e.Value.Value.Result.IsDisposed)
            .Select(e => (e.Key, e.Value, e.Value.Value.Result));

    private void Retire((string Model, int Version, OnnxSessionSettings? Session) key, Lazy<Task<Replica>> lazy)
    {
        if (_replicas.TryRemove(new(key, lazy)) && lazy.IsValueCreated)
        {
            // A load still in flight is retired when it lands, so its native memory is never orphaned.
            lazy.Value.ContinueWith(t => t.Result.Retire(), CancellationToken.None,
                TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>The session settings that tell an ONNX version's replicas apart; null for other formats.</summary>
    private static OnnxSessionSettings? SessionOf(ModelVersionInfo version, OnnxSessionSettings settings) =>
        version.Format == ModelFormat.Onnx ? settings : null;

    private async Task<Replica> LoadAsync(string model, ModelVersionInfo version, BatchingSettings batching, OnnxSessionSettings? session)
    {
        await using var stream = await _artifacts.OpenReadAsync(version.ArtifactKey)
            ?? throw new ModelLoadException($"version {version.Version} of model '{model}' has no artifact in the store.");
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        var bytes = buffer.ToArray();
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (sha != version.Sha256)
        {
            throw new ModelLoadException($"the artifact of version {version.Version} of model '{model}' failed its SHA-256 check (expected {version.Sha256}, found {sha}).");
        }

        var device = _devices.Pick(Interlocked.Increment(ref _loads));
        IModelRunner loaded;
        try
        {
            var settings = session ?? new OnnxSessionSettings();
            var threads = OnnxSessionSetup.ThreadsFor(Environment.ProcessorCount, Loaded().Count(), settings.IntraOpThreads, _options.OnnxIntraOpThreads);
            loaded = ModelRunners.Load(bytes, version, device, settings with { IntraOpThreads = threads });
        }
        catch (PlatformException exception)
        {
            throw new ModelLoadException($"version {version.Version} of model '{model}' could not be loaded: {exception.Message}");
        }

        var replica = new Replica(model, version, loaded, batching, _metrics);
        LogLoaded(model, version.Version, loaded.Device, loaded.Bytes);
        EnforceBudget(replica);
        return replica;
    }

    private void EnforceBudget(Replica keep)
    {
        var budget = _options.MemoryBudgetMB * 1024 * 1024;
        var loaded = LoadedEntries().Where(e => e.Replica != keep).OrderBy(e => e.Replica.LastUsedTicks).ToList();
        var total = loaded.Sum(e => e.Replica.Bytes) + keep.Bytes;
        foreach (var (key, lazy, replica) in loaded)
        {
            if (total <= budget)
            {
                break;
            }

            LogEvicted(key.Model, key.Version, replica.Bytes);
            Retire(key, lazy);
            total -= replica.Bytes;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded model {Model} version {Version} on {Device} ({Bytes} bytes)")]
    private partial void LogLoaded(string model, int version, string device, long bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Unloaded idle model {Model} version {Version}")]
    private partial void LogUnloadedIdle(string model, int version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Evicted model {Model} version {Version} ({Bytes} bytes) to stay within the memory budget")]
    private partial void LogEvicted(string model, int version, long bytes);
}
