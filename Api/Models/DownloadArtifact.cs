using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OrleansML.Api.Http;
using OrleansML.Api.Security;
using OrleansML.Errors;
using OrleansML.Serving;
using OrleansML.Storage;

namespace OrleansML.Api.Models;

/// <summary>A version's artifact exactly as stored, to export, archive or upload elsewhere.</summary>
public sealed record DownloadArtifact(string Name, int Version) : IRequest<ModelArtifact>;

/// <summary>The open artifact, its file name and the SHA-256 the model recorded for it.</summary>
public sealed record ModelArtifact(Stream Content, string FileName, string Sha256);

public sealed class DownloadArtifactHandler(ISender sender, IArtifactStore artifacts) : IRequestHandler<DownloadArtifact, ModelArtifact>
{
    public async ValueTask<ModelArtifact> Handle(DownloadArtifact request, CancellationToken cancellationToken)
    {
        var model = await sender.Send(new GetModel(request.Name), cancellationToken);
        var version = model.Versions.FirstOrDefault(v => v.Version == request.Version)
            ?? throw PlatformException.NotFound($"version {request.Version} of model '{request.Name}' not found.");
        var content = await artifacts.OpenReadAsync(version.ArtifactKey, cancellationToken)
            ?? throw PlatformException.NotFound($"version {request.Version} of model '{request.Name}' has no stored artifact ({version.State}).");
        var extension = version.Format switch
        {
            ModelFormat.TorchScript => "pt",
            ModelFormat.Onnx => "onnx",
            _ => "bin",
        };
        return new ModelArtifact(content, $"{request.Name}-v{request.Version}.{extension}", version.Sha256);
    }
}

public static class DownloadArtifactEndpoint
{
    public const string Sha256Header = "X-Artifact-Sha256";

    /// <summary>
    /// <c>GET /api/models/{name}/versions/{version}/artifact</c>: admin only, since weights are what the platform
    /// guards most; predict credentials can use a model without carrying it away.
    /// </summary>
    public static RouteGroupBuilder MapDownloadArtifact(this RouteGroupBuilder group)
    {
        group.MapGet("/{name}/versions/{version:int}/artifact", (string name, int version, HttpResponse response, ISender sender, CancellationToken cancellationToken) =>
                ApiErrors.TryNative(async () =>
                {
                    var artifact = await sender.Send(new DownloadArtifact(name, version), cancellationToken);
                    response.Headers[Sha256Header] = artifact.Sha256;
                    return TypedResults.Stream(artifact.Content, "application/octet-stream", artifact.FileName);
                }))
            .WithName("DownloadModelArtifact")
            .RequireAuthorization(Scopes.Admin)
            .WithSummary($"Downloads a version's artifact exactly as stored, with its SHA-256 in the {Sha256Header} header.");
        return group;
    }
}
