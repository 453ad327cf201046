using System.Security.Cryptography;
using OrleansML.Errors;
using OrleansML.Serving;
using OrleansML.Storage;

namespace OrleansML.Repository;

/// <summary>
/// Turns one version folder into a version of its model, as an upload would: the model file is staged in the
/// artifact store (hashed on the way) and the model grain validates it. The folder's number becomes the version's.
/// </summary>
public sealed class VersionImporter(IRepositorySource source, IArtifactStore artifacts, IGrainFactory grains, TimeProvider time)
{
    public const string ArchitectureFile = "architecture.json";

    public async Task<HandledVersion> ImportAsync(ListedVersion version, RepositoryModelConfig? config, DateTimeOffset foundAt, CancellationToken cancellationToken)
    {
        HandledVersion Result(RepositoryVersionState state, string? reason, string? sha256 = null) => new()
        {
            Model = version.Model,
            Version = version.Number,
            ChangeToken = version.ChangeToken,
            State = state,
            Reason = reason,
            Sha256 = sha256,
            FoundAt = foundAt,
            ChangedAt = time.GetUtcNow(),
        };

        var modelFiles = version.Files.Where(f => FileName(f) != ArchitectureFile).ToList();
        if (modelFiles.Count != 1)
        {
            return Result(RepositoryVersionState.Failed, modelFiles.Count == 0
                ? $"the version folder has no model file: put one TorchScript (.pt), ONNX (.onnx) or native weights file (with {ArchitectureFile}) in it."
                : $"the version folder has {modelFiles.Count} model files ({string.Join(", ", modelFiles.Select(FileName))}); it must hold exactly one.");
        }

        ArchitectureSpec? architecture = null;
        if (version.Files.FirstOrDefault(f => FileName(f) == ArchitectureFile) is { } architectureFile)
        {
            try
            {
                await using var content = await source.OpenReadAsync(architectureFile.Path, cancellationToken);
                architecture = await RepositoryModelConfig.ReadAsync<ArchitectureSpec>(content, architectureFile.Path, cancellationToken);
            }
            catch (InvalidDataException exception)
            {
                return Result(RepositoryVersionState.Failed, exception.Message);
            }
        }

        var staging = $"staging/{Guid.NewGuid():N}";
        var sha256 = await StageAsync(modelFiles[0], staging, cancellationToken);
        var model = grains.GetGrain<IModelGrain>(version.Model);
        if ((await model.GetAsync())?.Versions.FirstOrDefault(v => v.Version == version.Number) is { State: not VersionState.Failed } existing)
        {
            // Imported before this poller's memory of it was lost, or uploaded under the same number.
            await artifacts.DeleteAsync(staging, cancellationToken);
            return existing.Sha256 == sha256
                ? Result(RepositoryVersionState.Imported, null, sha256)
                : Result(RepositoryVersionState.Failed,
                    $"model '{version.Model}' already has version {version.Number} (source '{existing.Source}', SHA-256 {existing.Sha256}) with other bytes than this folder's (SHA-256 {sha256}); a version never changes, so give the folder another number.");
        }

        try
        {
            var added = await model.AddVersionAsync(new NewModelVersion
            {
                StagingKey = staging,
                Signature = config?.Signature,
                Preprocessing = config?.Preprocessing,
                Architecture = architecture,
                Source = $"repository:{version.Path}",
                Number = version.Number,
                RecordFailure = true,
            });
            return Result(RepositoryVersionState.Imported, null, added.Sha256);
        }
        catch (PlatformException refused)
        {
            return Result(RepositoryVersionState.Failed, $"{FileName(modelFiles[0])}: {refused.Message}");
        }
    }

    /// <summary>Copies the model file to <paramref name="staging"/> and returns its SHA-256 (hex).</summary>
    private async Task<string> StageAsync(RepositoryFile file, string staging, CancellationToken cancellationToken)
    {
        try
        {
            await using var content = await source.OpenReadAsync(file.Path, cancellationToken);
            using var hash = SHA256.Create();
            await using (var hashing = new CryptoStream(content, hash, CryptoStreamMode.Read, leaveOpen: true))
            {
                await artifacts.WriteAsync(staging, hashing, cancellationToken);
            }

            return Convert.ToHexStringLower(hash.Hash ?? throw new InvalidOperationException($"{file.Path} was not read to its end."));
        }
        catch
        {
            await artifacts.DeleteAsync(staging, CancellationToken.None);
            throw;
        }
    }

    private static string FileName(RepositoryFile file) => file.Path[(file.Path.LastIndexOf('/') + 1)..];
}
