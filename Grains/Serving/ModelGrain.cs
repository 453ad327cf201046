using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansML.Errors;
using OrleansML.History;
using OrleansML.Serving.Rollouts;
using OrleansML.Storage;
using OrleansML.Torch;
using TorchSharp;

namespace OrleansML.Serving;

/// <summary>
/// One model's control plane. Every change is persisted, then pushed to every silo's routing table; a version is
/// warmed on every silo before any route (label, split, rollout or default) leads to it, so swaps never stall a
/// request. It also drives the model's progressive rollout (<see cref="ModelGrain.Rollouts"/>).
/// </summary>
public sealed partial class ModelGrain(
    [PersistentState(stateName: "model", storageName: StorageNames.Platform)] IPersistentState<ModelState> state,
    IArtifactStore artifacts,
    VersionValidator validator,
    ClusterBroadcast cluster,
    ModelHistoryRecorder history,
    IOptions<ServingOptions> options,
    ILogger<ModelGrain> logger) : Grain, IModelGrain, IRemindable
{
    private ModelInfo? _loading;
    private RolloutDriver? _rollouts;

    private string Name => this.GetPrimaryKeyString();

    private RolloutDriver Rollouts => _rollouts ??= new RolloutDriver(
        this, Name, cluster, options.Value, logger, () => state.State.Rollout, ApplyRolloutAsync);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        history.Start(Exists ? Snapshot() : null);
        Rollouts.Resume();
        return Task.CompletedTask;
    }

    private bool Exists => state.State.Versions.Count > 0 || state.State.LastVersion > 0;

    public Task<ModelInfo?> GetAsync() => Task.FromResult(_loading ?? (Exists ? Snapshot() : null));

    public async Task<ModelVersionInfo> AddVersionAsync(NewModelVersion request)
    {
        ResourceNames.Validate(Name, "model");
        try
        {
            var number = VersionNumbering.Resolve(state.State, request, Name);
            _loading = Snapshot() with { Versions = [.. state.State.Versions.Where(v => v.Version != number), Placeholder(number, request)] };
            var version = await ValidateAsync(number, request);
            await artifacts.MoveAsync(request.StagingKey, version.ArtifactKey);
            var before = Snapshot().DefaultVersion;
            VersionNumbering.Put(state.State, version);
            var serving = Snapshot();
            if (serving.DefaultVersion != before && serving.TrafficSplit.Count == 0)
            {
                await cluster.WarmAsync(serving, number);
            }

            await ApplyVersionPolicyAsync();
            await CommitAsync();
            // Idempotent, and after the commit: a model that failed to register here is registered by its next version.
            await GrainFactory.GetGrain<IModelCatalogGrain>(0).AddAsync(Name);
            return version;
        }
        catch
        {
            await artifacts.DeleteAsync(request.StagingKey);
            throw;
        }
        finally
        {
            _loading = null;
        }
    }

    /// <summary>Validates the artifact; a refusal the caller asked to keep becomes a FAILED version first.</summary>
    private async Task<ModelVersionInfo> ValidateAsync(int number, NewModelVersion request)
    {
        try
        {
            return (await validator.ValidateAsync(Name, number, request)).Version;
        }
        catch (PlatformException refused) when (request.RecordFailure && refused.Kind == ErrorKind.Invalid)
        {
            VersionNumbering.Put(state.State, Placeholder(number, request) with { State = VersionState.Failed, FailureReason = refused.Message });
            await CommitAsync();
            await GrainFactory.GetGrain<IModelCatalogGrain>(0).AddAsync(Name);
            throw;
        }
    }

    public async Task<ModelInfo> CreateAsync(ArchitectureSpec architecture, int seed)
    {
        ResourceNames.Validate(Name, "model");
        if (Exists)
        {
            throw PlatformException.Conflict($"model '{Name}' already exists.");
        }

        ArchitectureBuilder.Validate(architecture);
        byte[] weights;
        lock (TorchGenerator.Lock)
        {
            // torch's generator is process-wide: seed and draw under one lock so concurrent creations stay reproducible.
            torch.manual_seed(seed);
            using var module = ArchitectureBuilder.Build(architecture);
            weights = ModelArtifacts.SaveNative(module);
        }

        var staging = $"staging/{Guid.NewGuid():N}";
        await artifacts.WriteAsync(staging, new MemoryStream(weights));
        await AddVersionAsync(new NewModelVersion
        {
            StagingKey = staging,
            Format = ModelFormat.Native,
            Architecture = architecture,
            Source = $"architecture:seed={seed}",
        });
        return Snapshot();
    }

    public async Task<ModelInfo> DeleteVersionAsync(int version)
    {
        RequireModel();
        var existing = state.State.Versions.FirstOrDefault(v => v.Version == version)
            ?? throw PlatformException.NotFound($"version {version} of model '{Name}' not found.");
        if (state.State.Rollout is { IsRunning: true } rollout && rollout.Spec.Candidate == version)
        {
            RequireNoRollout($"version {version}");
        }

        var labels = state.State.Labels.Where(l => l.Value == version).Select(l => l.Key).ToList();
        if (labels.Count > 0)
        {
            throw PlatformException.Conflict($"version {version} of model '{Name}' is labelled {string.Join(", ", labels)}; move the label(s) first.");
        }

        if (state.State.Shadow?.Version == version)
        {
            throw PlatformException.Conflict($"version {version} of model '{Name}' is its shadow; stop the shadow first (DELETE /api/models/{Name}/shadow).");
        }

        await RemoveVersionAsync(existing);
        await CommitAsync();
        return Snapshot();
    }

    public async Task ReportLoadFailureAsync(int version, string reason)
    {
        var index = state.State.Versions.FindIndex(v => v.Version == version);
        if (index < 0 || state.State.Versions[index].State == VersionState.Failed)
        {
            return;
        }

        state.State.Versions[index] = state.State.Versions[index] with { State = VersionState.Failed, FailureReason = reason };
        await CommitAsync();
    }

    private async Task WarmOrFailAsync(int version)
    {
        try
        {
            await cluster.WarmAsync(Snapshot(), version);
        }
        catch (PlatformException exception)
        {
            await ReportLoadFailureAsync(version, exception.Message);
            throw PlatformException.Conflict($"version {version} of model '{Name}' could not be loaded on every silo: {exception.Message}");
        }
    }

    private async Task RemoveVersionAsync(ModelVersionInfo version)
    {
        var index = state.State.Versions.IndexOf(version);
        state.State.Versions[index] = version with { State = VersionState.Unloading };
        await CommitAsync();
        state.State.Versions.RemoveAt(index);
        if (version.ArtifactKey.Length > 0)
        {
            // A FAILED version a repository recorded never had an artifact.
            await artifacts.DeleteAsync(version.ArtifactKey);
        }
    }

    private async Task CommitAsync()
    {
        state.State.Revision++;
        await state.WriteStateAsync();
        await history.RecordAsync(Snapshot());
        await cluster.PublishAsync(Name, Snapshot());
    }

    private ModelInfo Snapshot() => new()
    {
        Name = Name,
        Versions = state.State.Versions.ToArray(),
        Labels = new Dictionary<string, int>(state.State.Labels),
        TrafficSplit = new Dictionary<string, int>(state.State.TrafficSplit),
        KeepLatest = state.State.KeepLatest,
        Batching = state.State.Batching,
        OnnxSession = state.State.OnnxSession,
        Revision = state.State.Revision,
        Shadow = state.State.Shadow,
        Rollout = state.State.Rollout,
    };

    private static ModelVersionInfo Placeholder(int number, NewModelVersion request) => new()
    {
        Version = number,
        State = VersionState.Loading,
        Format = request.Format ?? ModelFormat.TorchScript,
        Signature = request.Signature ?? new ModelSignature([new TensorSpec("input", TensorDataType.FP32, [-1])], []),
        Sha256 = "",
        SizeBytes = 0,
        CreatedAt = DateTimeOffset.UtcNow,
        Source = request.Source,
        ArtifactKey = "",
    };

    private void RequireModel()
    {
        if (!Exists)
        {
            throw PlatformException.NotFound($"model '{Name}' not found.");
        }
    }

    private ModelVersionInfo RequireAvailable(int version)
    {
        var found = state.State.Versions.FirstOrDefault(v => v.Version == version)
            ?? throw PlatformException.NotFound($"version {version} of model '{Name}' not found.");
        return found.State == VersionState.Available
            ? found
            : throw PlatformException.Conflict($"version {version} of model '{Name}' is {found.State.ToString().ToUpperInvariant()}; only AVAILABLE versions can be routed to.");
    }
}
