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
                // The importer streams the body into partitions, so the limit is about disk, not memory.
                var (body, format) = await DatasetUploadBody.ReadAsync(request, limits.Value.MaxDatasetBytes, cancellationToken);
                var dataset = await sender.Send(new UploadDataset(name, label ?? "", body, format), cancellationToken);
                return TypedResults.Created($"/api/datasets/{dataset.Name}", dataset);
            })
            .Accepts<string>("text/csv", "application/vnd.apache.parquet", "application/x-parquet", "application/octet-stream", "multipart/form-data")
            .DisableAntiforgery()
            .WithName("UploadDataset")
            .RequireAuthorization(Scopes.Admin)
            .WithSummary("Uploads a CSV (header row, numeric features, the label column named by ?label=) or a Parquet file (flat numeric columns) as a dataset.");

        group.MapPost("/{name}/import", async Task<Created<DatasetInfo>> (string name, ImportDatasetBody body, ISender sender, CancellationToken cancellationToken) =>
            {
                var dataset = await sender.Send(new ImportDataset(name, body.Url ?? "", body.Label ?? ""), cancellationToken);
                return TypedResults.Created($"/api/datasets/{dataset.Name}", dataset);
            })
            .WithName("ImportDataset")
            .RequireAuthorization(Scopes.Admin)
            .WithSummary("Imports Parquet files from a store URL (s3://bucket/prefix/*.parquet, file:///dir/*.parquet) as a dataset, read partition by partition on the silos.");

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
