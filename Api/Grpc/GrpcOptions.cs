namespace OrleansML.Api.Grpc;

/// <summary>
/// The gRPC front ends (<c>OrleansML:Grpc</c>): KServe V2 <c>inference.GRPCInferenceService</c>, TF Serving's
/// <c>PredictionService</c> and <c>ModelService</c>, <c>grpc.health.v1</c> and server reflection, on their own address.
/// </summary>
public sealed class GrpcOptions
{
    public const string SectionName = "OrleansML:Grpc";

    /// <summary>Triton's gRPC port, on loopback: a container or a host that serves others sets <c>http://+:8001</c>.</summary>
    public const string DefaultUrl = "http://localhost:8001";

    /// <summary>
    /// Where gRPC listens, as an HTTP/2-only Kestrel endpoint (plain-text h2c for <c>http://</c>; <c>https://</c> takes
    /// its certificate from Kestrel's configuration, <c>Kestrel:Endpoints:OrleansMLGrpc:Certificate</c> or
    /// <c>Kestrel:Certificates:Default</c>). Empty turns gRPC off.
    /// </summary>
    public string? Url { get; set; } = DefaultUrl;
}
