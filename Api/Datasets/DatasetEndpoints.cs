using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OrleansML.Api.Http;
using OrleansML.Datasets;
using OrleansML.Errors;
using OrleansML.Api.Security;

namespace OrleansML.Api.Datasets;

public static class DatasetEndpoints
{
    public static RouteGroupBuilder MapDatasetEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/datasets").WithTags("Datasets");

        group.MapPost("/{name}", async Task<Created<DatasetInfo>> (string name, string? label, HttpRequest request, IOptions<ApiLimits> limits, ISender sender, CancellationToken cancellationToken) =>
            {
                // The importer streams the body into partitions, so the limit is about disk, not memory; multipart
                // files are buffered to a temporary file by ASP.NET Core, never to memory.
                var limit = limits.Value.MaxDatasetBytes;
                RequestBody.Limit(request, limit);
                var body = request.HasFormContentType
                    ? ((await MultipartForm.ReadAsync(request, limit, cancellationToken)).Files["file"]
                        ?? throw PlatformException.Invalid("the multipart upload has no part named 'file'.")).OpenReadStream()
                    : request.Body;
                var dataset = await sender.Send(new UploadDataset(name, label ?? "", body), cancellationToken);
                return TypedResults.Created($"/api/datasets/{dataset.Name}", dataset);
            })
            .Accepts<string>("text/csv", "multipart/form-data")
            .DisableAntiforgery()
            .WithName("UploadDataset")
            .RequireAuthorization(Scopes.Admin)
            .WithSummary("Uploads a CSV (header row, numeric features, the label column named by ?label=) as a dataset.");

        group.MapGet("/", async Task<Ok<DatasetInfo[]>> (ISender sender, CancellationToken cancellationToken) =>
                TypedResults.Ok(await sender.Send(new ListDatasets(), cancellationToken)))
            .WithName("ListDatasets")
            .RequireAuthorization(Scopes.Train)
            .WithSummary("Lists the datasets.");

        group.MapGet("/{name}", async Task<Results<Ok<DatasetInfo>, NotFound>> (string name, ISender sender, CancellationToken cancellationToken) =>
                await sender.Send(new GetDataset(name), cancellationToken) is { } dataset ? TypedResults.Ok(dataset) : TypedResults.NotFound())
            .WithName("GetDataset")
            .RequireAuthorization(Scopes.Train)
            .WithSummary("A dataset's rows, columns, label and label classes.");

        group.MapGet("/{name}/content", async Task<Results<PushStreamHttpResult, NotFound>> (string name, ISender sender, CancellationToken cancellationToken) =>
                await sender.Send(new GetDatasetContent(name), cancellationToken) is { } content
                    ? TypedResults.Stream(body => content.WriteAsync(body, cancellationToken), "text/csv", $"{content.Dataset.Name}.csv")
                    : TypedResults.NotFound())
            .Produces<string>(StatusCodes.Status200OK, "text/csv")
            .WithName("GetDatasetContent")
            .RequireAuthorization(Scopes.Train)
            .WithSummary("Streams a dataset as CSV (feature columns, then the label column), one storage partition at a time.");

        return group;
    }
}
