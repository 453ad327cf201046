using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using OrleansML.Errors;
using OrleansML.Storage;

namespace OrleansML.Api.Http;

/// <summary>
/// Turns the refusals a client can act on (<see cref="PlatformException"/> from grains, <see cref="BadHttpRequestException"/>
/// from reading the request) into responses: RFC 7807 problem details on the native API, <c>{"error": "..."}</c> on
/// the KServe V2 and TF Serving protocols, a status code on gRPC (<see cref="GrpcStatusOf"/>). Anything else is a server fault and is left to the exception handler.
/// </summary>
public static class ApiErrors
{
    /// <summary>
    /// Errors answered with a status instead of a 500: the caller's own (4xx), the cluster being briefly
    /// unreachable while a silo dies or joins (503, retry), and an artifact or dataset store that refuses or cannot
    /// be reached (503, its message naming the store, bucket or container, and operation, for the operator to fix).
    /// </summary>
    public static bool IsClientError(Exception exception) =>
        exception is PlatformException or BadHttpRequestException or ArtifactStoreException || IsClusterUnavailable(exception);

    /// <summary>A grain call lost with a silo that died or left: nothing is wrong with the request, retry it.</summary>
    public static bool IsClusterUnavailable(Exception exception) =>
        exception is OrleansMessageRejectionException or Orleans.Runtime.Messaging.ConnectionFailedException or SiloUnavailableException or TimeoutException;

    public static int StatusOf(Exception exception) => exception switch
    {
        PlatformException { Kind: ErrorKind.NotFound } => StatusCodes.Status404NotFound,
        PlatformException { Kind: ErrorKind.Conflict } => StatusCodes.Status409Conflict,
        PlatformException { Kind: ErrorKind.LimitReached } => StatusCodes.Status429TooManyRequests,
        PlatformException => StatusCodes.Status400BadRequest,
        BadHttpRequestException bad => bad.StatusCode,
        ArtifactStoreException => StatusCodes.Status503ServiceUnavailable,
        _ when IsClusterUnavailable(exception) => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>
    /// The gRPC status of a client error, following the gRPC mapping of the same HTTP statuses; anything that is not
    /// a client error is <c>INTERNAL</c>.
    /// </summary>
    public static global::Grpc.Core.StatusCode GrpcStatusOf(Exception exception) => exception switch
    {
        PlatformException { Kind: ErrorKind.NotFound } => global::Grpc.Core.StatusCode.NotFound,
        PlatformException { Kind: ErrorKind.Conflict } => global::Grpc.Core.StatusCode.FailedPrecondition,
        PlatformException { Kind: ErrorKind.LimitReached } => global::Grpc.Core.StatusCode.ResourceExhausted,
        PlatformException => global::Grpc.Core.StatusCode.InvalidArgument,
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => global::Grpc.Core.StatusCode.ResourceExhausted,
        BadHttpRequestException => global::Grpc.Core.StatusCode.InvalidArgument,
        ArtifactStoreException => global::Grpc.Core.StatusCode.Unavailable,
        _ when IsClusterUnavailable(exception) => global::Grpc.Core.StatusCode.Unavailable,
        _ => global::Grpc.Core.StatusCode.Internal,
    };

    public static ProblemHttpResult Problem(Exception exception) =>
        TypedResults.Problem(detail: exception.Message, statusCode: StatusOf(exception));

    public static JsonHttpResult<ProtocolError> Protocol(Exception exception) =>
        TypedResults.Json(new ProtocolError(exception.Message), statusCode: StatusOf(exception));

    /// <summary>Runs a native endpoint's work, answering client errors as problem details.</summary>
    public static async Task<Results<TResult, ProblemHttpResult>> TryNative<TResult>(Func<Task<TResult>> action)
        where TResult : IResult
    {
        try
        {
            return await action();
        }
        catch (Exception exception) when (IsClientError(exception))
        {
            return Problem(exception);
        }
    }

    /// <summary>True for the KServe V2 (<c>/v2</c>) and TF Serving (<c>/v1</c>) routes, which answer errors in their own shape.</summary>
    public static bool IsProtocolPath(PathString path) =>
        path.StartsWithSegments("/v2", StringComparison.Ordinal) || path.StartsWithSegments("/v1", StringComparison.Ordinal);
}

/// <summary>The error body of the KServe V2 and TF Serving protocols.</summary>
public sealed record ProtocolError([property: JsonPropertyName("error")] string Error);
