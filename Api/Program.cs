using OrleansML.Api.Cluster;
using OrleansML.Api.Hosting;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddOrleansMLPlatform();
builder.Services.AddProblemDetails();
builder.Services.AddOpenApi();
builder.Services.AddMediator();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapOpenApi();
if (app.Environment.IsDevelopment())
{
    app.MapScalarApiReference();
}

app.MapDefaultEndpoints();
app.MapClusterEndpoints();

app.Run();

public partial class Program;
