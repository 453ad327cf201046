using Mediator;
using OrleansML.Serving;
using OrleansML.Storage;

namespace OrleansML.Api.Models;

/// <summary>
/// Registers an uploaded artifact as the model's next version: it is staged in the artifact store, and the model
/// grain validates it; a refused artifact is deleted, so nothing of it is stored.
/// </summary>
public sealed record UploadModelVersion(
    string Name,
    Stream Artifact,
    ModelFormat? Format,
    ModelSignature? Signature,
    ArchitectureSpec? Architecture,
    Standardization? Preprocessing) : IRequest<ModelVersionInfo>;

public sealed class UploadModelVersionHandler(IGrainFactory grains, IArtifactStore artifacts)
    : IRequestHandler<UploadModelVersion, ModelVersionInfo>
{
    public async ValueTask<ModelVersionInfo> Handle(UploadModelVersion request, CancellationToken cancellationToken)
    {
        ResourceNames.Validate(request.Name, "model");
        var staging = $"staging/{Guid.NewGuid():N}";
        try
        {
            await artifacts.WriteAsync(staging, request.Artifact, cancellationToken);
        }
        catch (Exception written)
        {
            try
            {
                await artifacts.DeleteAsync(staging, CancellationToken.None);
            }
            catch (ArtifactStoreException) when (written is ArtifactStoreException)
            {
                // The store that refused the write refuses the clean-up too; the write's error is the one to report,
                // and a write that failed left nothing visible.
            }

            throw;
        }

        return await grains.GetGrain<IModelGrain>(request.Name).AddVersionAsync(new NewModelVersion
        {
            StagingKey = staging,
            Format = request.Format,
            Signature = request.Signature,
            Architecture = request.Architecture,
            Preprocessing = request.Preprocessing,
        });
    }
}
