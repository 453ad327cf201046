using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace OrleansML.Api.Http;

public static class ApiServiceCollectionExtensions
{
    /// <summary>
    /// The HTTP conventions of every OrleansML endpoint: problem details, client errors answered 4xx (binding
    /// failures throw so <see cref="ClientErrorHandler"/> can shape them), enums as strings, and the size limits.
    /// </summary>
    public static IServiceCollection AddOrleansMLApi(this IServiceCollection services, IConfiguration configuration)
    {
        // Registered before AddProblemDetails adds the default writer, so it is asked first (see its summary).
        services.AddSingleton<IProblemDetailsWriter, ErrorShapeWriter>();
        services.AddProblemDetails();
        services.AddExceptionHandler<ClientErrorHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o =>
        {
            // Datatypes are written as the V2 protocol spells them (BOOL, UINT8, FP32, BYTES), before the general enum converter.
            o.SerializerOptions.Converters.Add(new OrleansML.Serving.TensorDataTypeJsonConverter());
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            // A missing required field or a null where none is allowed is a 400, not a silent default.
            o.SerializerOptions.RespectRequiredConstructorParameters = true;
            o.SerializerOptions.RespectNullableAnnotations = true;
            // So is a number in quotes ({"version":"1"}), which the web defaults read as the number while the
            // prediction readers refuse it, and a member the request type does not have: a misspelt field would be
            // ignored, and a body whose one member had an invalid UTF-8 name reset batching to its defaults.
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        });
        services.Configure<ApiLimits>(configuration.GetSection(ApiLimits.SectionName));
        services.AddOrleansMLCompression();
        services.TryAddSingleton(TimeProvider.System);
        // One failover state per Api, told by the Orleans client when it loses a gateway (cluster mode).
        services.AddSingleton<Models.PredictionFailover>();
        services.AddSingleton<IClusterConnectionStatusObserver>(provider => provider.GetRequiredService<Models.PredictionFailover>());
        services.AddSingleton<Models.PredictorClient>();
        return services;
    }
}
