using System.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace OrleansML.Api.Grpc.Decoding;

/// <summary>
/// Binds each gRPC service as Grpc.AspNetCore's own binder does, through the <c>BindService</c> method its generated
/// base names in <see cref="BindServiceMethodAttribute"/>, but with requests that fail to parse refused as
/// INVALID_ARGUMENT (<see cref="RequestDecoding"/>). It replaces that binder (<see cref="GrpcHosting"/>), so it
/// covers every service the API maps: KServe V2, TF Serving, health and reflection.
/// </summary>
internal sealed class DecodingServiceMethodProvider<TService> : IServiceMethodProvider<TService>
    where TService : class
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        for (var type = typeof(TService); type is not null; type = type.BaseType)
        {
            if (type.GetCustomAttribute<BindServiceMethodAttribute>(inherit: false) is { } bind)
            {
                var method = bind.BindType.GetMethod(bind.BindMethodName, BindingFlags.Public | BindingFlags.Static, [typeof(ServiceBinderBase), type])
                    ?? throw new InvalidOperationException($"{bind.BindType} has no {bind.BindMethodName}(ServiceBinderBase, {type.Name}).");
                method.Invoke(null, [new DecodingServiceBinder<TService>(context, type), null]);
                return;
            }
        }
    }
}
