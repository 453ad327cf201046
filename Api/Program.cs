using OrleansML.Api.Cluster;
using OrleansML.Api.WebConsole;
using OrleansML.Api.Datasets;
using OrleansML.Api.Grpc;
using OrleansML.Api.History;
using OrleansML.Api.Hosting;
using OrleansML.Api.Http;
using OrleansML.Api.KServe;
using OrleansML.Api.Models;
using OrleansML.Api.Repository;
using OrleansML.Api.Scoring;
using OrleansML.Api.Security;
using OrleansML.Api.Shadow;
using OrleansML.Api.Statistics;
using OrleansML.Api.TensorFlowServing;
using OrleansML.Api.Training;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddOrleansMLPlatform();
builder.AddOrleansMLSecurity();
builder.AddOrleansMLGrpc();
builder.Services.AddOrleansMLApi(builder.Configuration);
builder.Services.AddOpenApi(o => o.AddDocumentTransformer<SecuritySchemesTransformer>().AddOperationTransformer<SecuritySchemesTransformer>());
builder.Services.AddMediator();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRequestDecompression();
app.UseResponseCompression();
app.UseOrleansMLConsole();
app.UseOrleansMLSecurity();
app.MapOpenApi().AllowAnonymous();
if (app.Environment.IsDevelopment())
{
    app.MapScalarApiReference().AllowAnonymous();
}

app.MapDefaultEndpoints();
app.MapClusterEndpoints();
app.MapModelEndpoints();
app.MapHistoryEndpoints();
app.MapShadowEndpoints();
app.MapRepositoryEndpoints();
app.MapKServeEndpoints();
app.MapTensorFlowServingEndpoints();
app.MapDatasetEndpoints();
app.MapTrainingEndpoints();
app.MapScoringEndpoints();
app.MapStatisticsEndpoints();
app.MapApiKeyEndpoints();
app.MapCredentialEndpoints();
app.MapOrleansMLGrpc();

app.Run();

public partial class Program;
