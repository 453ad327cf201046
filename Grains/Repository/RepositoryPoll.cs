using Microsoft.Extensions.Logging;
using OrleansML.Errors;
using OrleansML.Serving;
using OrleansML.Storage;

namespace OrleansML.Repository;

/// <summary>
/// One poll of the repository: list it, import new version folders (and retry failed ones whose files changed),
/// apply each changed config.json's labels and batching, and retire the versions whose folders are gone. What fails
/// is reported per folder; nothing that fails stops the rest.
/// </summary>
public sealed partial class RepositoryPoll(IRepositorySource source, IArtifactStore artifacts, IGrainFactory grains, TimeProvider time, ILogger logger)
{
    private readonly VersionImporter _importer = new(source, artifacts, grains, time);

    public async Task<RepositoryStatus> RunAsync(RepositoryState state, RepositoryStatus previous, CancellationToken cancellationToken)
    {
        List<RepositoryFile> files;
        try
        {
            files = await source.ListAsync(cancellationToken).ToListAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Nothing is retired on a failed listing: an unreachable bucket is not an empty one.
            LogListFailed(logger, exception, source.Url);
            return previous with { LastPollAt = time.GetUtcNow(), LastPollError = $"the repository could not be listed: {exception.Message}", Polls = previous.Polls + 1 };
        }

        var layout = RepositoryLayout.Parse(files);
        var notes = new Dictionary<string, string>(StringComparer.Ordinal);
        var configs = new Dictionary<string, RepositoryModelConfig?>(StringComparer.Ordinal);
        var configErrors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var model in layout.Models.Values)
        {
            var (config, error) = await ReadConfigAsync(model, cancellationToken);
            configs[model.Name] = config;
            foreach (var version in model.Versions.Values)
            {
                await HandleAsync(state, version, config, error, notes, cancellationToken);
            }

            error ??= await ApplyConfigAsync(state, model, config);
            if (error is not null)
            {
                configErrors[model.Name] = error;
            }
        }

        await RetireAsync(state, layout);
        var names = layout.Models.Keys.Union(state.Versions.Values.Select(v => v.Model)).Order(StringComparer.Ordinal);
        return previous with
        {
            LastPollAt = time.GetUtcNow(),
            LastPollError = null,
            Polls = previous.Polls + 1,
            Problems = layout.Problems,
            Models = names.Select(name => new RepositoryModelStatus
            {
                Name = name,
                HasConfig = layout.Models.GetValueOrDefault(name)?.Config is not null,
                ConfigError = configErrors.GetValueOrDefault(name),
                Labels = configs.GetValueOrDefault(name)?.Labels ?? [],
                Versions = state.Versions.Values.Where(v => v.Model == name).OrderBy(v => v.Version)
                    .Select(v => v.ToStatus(notes.GetValueOrDefault(v.Key))).ToArray(),
            }).ToArray(),
        };
    }

    private async Task<(RepositoryModelConfig? Config, string? Error)> ReadConfigAsync(ListedModel model, CancellationToken cancellationToken)
    {
        if (model.Config is not { } file)
        {
            return (null, null);
        }

        try
        {
            await using var content = await source.OpenReadAsync(file.Path, cancellationToken);
            return (await RepositoryModelConfig.ReadAsync<RepositoryModelConfig>(content, file.Path, cancellationToken), null);
        }
        catch (InvalidDataException exception)
        {
            return (null, exception.Message);
        }
    }

    private async Task HandleAsync(RepositoryState state, ListedVersion version, RepositoryModelConfig? config, string? configError, Dictionary<string, string> notes, CancellationToken cancellationToken)
    {
        var handled = state.Versions.GetValueOrDefault(version.Path);
        if (handled is { State: RepositoryVersionState.Imported or RepositoryVersionState.Kept })
        {
            if (handled.State == RepositoryVersionState.Kept)
            {
                state.Versions[version.Path] = handled with { State = RepositoryVersionState.Imported, Reason = null, ChangedAt = time.GetUtcNow() };
            }

            if (handled.ChangeToken != version.ChangeToken)
            {
                notes[version.Path] = "the folder's files changed after the import; a version never changes, so it keeps the files it was imported from: add the new ones as a new version folder.";
            }

            return;
        }

        if (handled is { State: RepositoryVersionState.Failed } && handled.ChangeToken == version.ChangeToken)
        {
            return;
        }

        var foundAt = handled is not null && handled.State != RepositoryVersionState.Retired && handled.ChangeToken == version.ChangeToken ? handled.FoundAt : time.GetUtcNow();
        HandledVersion result;
        if (configError is not null)
        {
            // An empty token tries again at the next poll, once config.json may be fixed.
            result = new HandledVersion
            {
                Model = version.Model, Version = version.Number, ChangeToken = "", State = RepositoryVersionState.Failed,
                Reason = $"not imported while the model's config.json is broken: {configError}", FoundAt = foundAt, ChangedAt = time.GetUtcNow(),
            };
        }
        else
        {
            try
            {
                result = await _importer.ImportAsync(version, config, foundAt, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                result = new HandledVersion
                {
                    Model = version.Model, Version = version.Number, ChangeToken = "", State = RepositoryVersionState.Failed,
                    Reason = $"the import failed and is retried at the next poll: {exception.Message}", FoundAt = foundAt, ChangedAt = time.GetUtcNow(),
                };
            }
        }

        state.Versions[version.Path] = result;
        if (result.State == RepositoryVersionState.Imported)
        {
            LogImported(logger, version.Model, version.Number, result.Sha256);
        }
        else
        {
            LogFailed(logger, version.Model, version.Number, result.Reason);
        }
    }

    /// <summary>Points config.json's labels and sets its batching, once per change of the file; an error retries at the next poll.</summary>
    private async Task<string?> ApplyConfigAsync(RepositoryState state, ListedModel model, RepositoryModelConfig? config)
    {
        if (model.Config is not { } file || config is null)
        {
            state.AppliedConfigs.Remove(model.Name);
            return null;
        }

        if (state.AppliedConfigs.GetValueOrDefault(model.Name) == file.ChangeToken)
        {
            return null;
        }

        var grain = grains.GetGrain<IModelGrain>(model.Name);
        if (await grain.GetAsync() is not { } info)
        {
            return "config.json is applied once the model has a version.";
        }

        var errors = new List<string>();
        foreach (var (label, version) in config.Labels ?? [])
        {
            if (info.Labels.GetValueOrDefault(label) != version)
            {
                try
                {
                    info = await grain.SetLabelAsync(label, version);
                }
                catch (PlatformException refused)
                {
                    errors.Add($"label '{label}' → version {version}: {refused.Message}");
                }
            }
        }

        if (config.Batching is { } batching && batching != info.Batching)
        {
            try
            {
                await grain.SetBatchingAsync(batching);
            }
            catch (PlatformException refused)
            {
                errors.Add($"batching: {refused.Message}");
            }
        }

        if (errors.Count > 0)
        {
            return string.Join("; ", errors);
        }

        state.AppliedConfigs[model.Name] = file.ChangeToken;
        return null;
    }

    /// <summary>Deletes the versions whose folders are gone, except those a label, the shadow or a rollout uses (kept until that moves).</summary>
    private async Task RetireAsync(RepositoryState state, RepositoryLayout layout)
    {
        var gone = state.Versions.Values
            .Where(v => v.State != RepositoryVersionState.Retired
                && !(layout.Models.GetValueOrDefault(v.Model)?.Versions.ContainsKey(v.Version) ?? false))
            .ToList();
        foreach (var handled in gone)
        {
            var grain = grains.GetGrain<IModelGrain>(handled.Model);
            try
            {
                if (handled.State == RepositoryVersionState.Failed)
                {
                    // The FAILED entry the model keeps for it goes with the folder; so does the poller's memory of it.
                    if ((await grain.GetAsync())?.Versions.Any(v => v.Version == handled.Version && v.State == VersionState.Failed && v.Source == $"repository:{handled.Key}") == true)
                    {
                        await grain.DeleteVersionAsync(handled.Version);
                    }

                    state.Versions.Remove(handled.Key);
                    continue;
                }

                await grain.DeleteVersionAsync(handled.Version);
                state.Versions[handled.Key] = handled with { State = RepositoryVersionState.Retired, Reason = null, ChangedAt = time.GetUtcNow() };
                LogRetired(logger, handled.Model, handled.Version);
            }
            catch (PlatformException refused) when (refused.Kind == ErrorKind.NotFound)
            {
                state.Versions[handled.Key] = handled with { State = RepositoryVersionState.Retired, Reason = null, ChangedAt = time.GetUtcNow() };
            }
            catch (PlatformException refused) when (refused.Kind == ErrorKind.Conflict)
            {
                var reason = $"its folder is gone, but it stays while it is in use: {refused.Message}";
                if (handled.State != RepositoryVersionState.Kept || handled.Reason != reason)
                {
                    state.Versions[handled.Key] = handled with { State = RepositoryVersionState.Kept, Reason = reason, ChangedAt = time.GetUtcNow() };
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The model repository {Url} could not be listed")]
    private static partial void LogListFailed(ILogger logger, Exception exception, string url);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model repository: imported {Model} version {Version} (SHA-256 {Sha256})")]
    private static partial void LogImported(ILogger logger, string model, int version, string? sha256);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model repository: {Model} version {Version} FAILED: {Reason}")]
    private static partial void LogFailed(ILogger logger, string model, int version, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model repository: retired {Model} version {Version}, whose folder is gone")]
    private static partial void LogRetired(ILogger logger, string model, int version);
}
