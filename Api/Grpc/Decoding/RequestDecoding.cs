using Google.Protobuf;
using Grpc.Core;

namespace OrleansML.Api.Grpc.Decoding;

/// <summary>
/// A method whose request marshaller refuses bytes that are not a protobuf of the request type with
/// INVALID_ARGUMENT, naming the type and protobuf's reason. Grpc.AspNetCore deserialises the request before any
/// interceptor runs and keeps the status of an <see cref="RpcException"/> its deserializer throws; any other
/// exception there would end the call UNKNOWN.
/// </summary>
internal static class RequestDecoding
{
    public static Method<TRequest, TResponse> Refusing<TRequest, TResponse>(Method<TRequest, TResponse> method)
        where TRequest : class
        where TResponse : class =>
        new(method.Type, method.ServiceName, method.Name, Refusing(method.RequestMarshaller), method.ResponseMarshaller);

    private static Marshaller<T> Refusing<T>(Marshaller<T> marshaller)
        where T : class
    {
        var type = typeof(T).IsAssignableTo(typeof(IMessage)) ? ((IMessage)Activator.CreateInstance<T>()).Descriptor.FullName : typeof(T).Name;
        var deserialize = marshaller.ContextualDeserializer;
        return new Marshaller<T>(marshaller.ContextualSerializer, context =>
        {
            try
            {
                return deserialize(context);
            }
            catch (InvalidProtocolBufferException exception)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, $"the request is not a valid {type}: {exception.Message}"));
            }
        });
    }
}
