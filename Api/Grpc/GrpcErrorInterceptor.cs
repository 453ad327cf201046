using Grpc.Core;
using Grpc.Core.Interceptors;
using OrleansML.Api.Http;

namespace OrleansML.Api.Grpc;

/// <summary>
/// The gRPC side of the Api's one error map: a refusal the caller can act on (<see cref="ApiErrors.IsClientError"/>)
/// ends the call with its status (<see cref="ApiErrors.GrpcStatusOf"/>) and the refusal's message, so no service
/// method catches anything itself. Server faults stay faults.
/// </summary>
internal sealed class GrpcErrorInterceptor : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception exception) when (ApiErrors.IsClientError(exception))
        {
            if (ApiErrors.IsClusterUnavailable(exception))
            {
                context.ResponseTrailers.Add("retry-after", "1");
            }

            throw new RpcException(new Status(ApiErrors.GrpcStatusOf(exception), exception.Message));
        }
    }
}
