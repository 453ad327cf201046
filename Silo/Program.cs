using OrleansML.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.UseOrleans(silo => silo.AddOrleansML(builder.Configuration));
builder.Services.AddHealthChecks().AddCheck<PlatformReadinessCheck>("platform", tags: [Extensions.ReadyTag]);

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
