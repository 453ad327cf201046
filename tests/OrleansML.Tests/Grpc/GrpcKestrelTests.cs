using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Grpc.Net.Client;
using Inference;
using OrleansML.Tests.Api;
using OrleansML.Tests.Infrastructure;
using static OrleansML.Tests.Grpc.GrpcTensors;

namespace OrleansML.Tests.Grpc;

/// <summary>
/// A real Api process: HTTP/1.1 stays on its <c>--urls</c> address while gRPC answers plain-text HTTP/2 on
/// <c>OrleansML:Grpc:Url</c>, to the generated client and to a request framed by hand as a stock client frames it
/// (the 5-byte message prefix, <c>application/grpc</c>, <c>te: trailers</c>, the status in the trailers).
/// </summary>
public sealed class GrpcKestrelTests : IAsyncLifetime
{
    private const string Model = "kestrel-scripted";
    private readonly TempDirectory _data = new();
    private PlatformProcess _api = null!;

    public async Task InitializeAsync()
    {
        _api = PlatformProcess.Api([
            "--OrleansML:Mode", "Embedded", "--OrleansML:DataDirectory", _data.Path, "--OrleansML:Device", "cpu",
            "--OrleansML:SiloPort", FreePort.Next().ToString(), "--OrleansML:GatewayPort", FreePort.Next().ToString()]);
        await _api.WaitReadyAsync(TimeSpan.FromSeconds(90));
        using var http = _api.CreateHttpClient(TimeSpan.FromSeconds(60));
        var upload = await ApiFixture.UploadAsync(http, Model, File.ReadAllBytes(Fixtures.Scripted));
        Assert.True(upload.IsSuccessStatusCode, await upload.Content.ReadAsStringAsync());
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        _data.Dispose();
    }

    private Uri GrpcAddress => new($"http://127.0.0.1:{_api.GrpcPort}");

    [Fact]
    public async Task Http_stays_on_its_urls_and_grpc_answers_h2c_on_its_own_port()
    {
        using var http = _api.CreateHttpClient(TimeSpan.FromSeconds(10));
        var rest = await http.GetAsync("/v2/health/live");
        Assert.Equal(HttpStatusCode.OK, rest.StatusCode);
        Assert.Equal(new Version(1, 1), rest.Version);

        using var channel = GrpcChannel.ForAddress(GrpcAddress);
        var client = new GRPCInferenceService.GRPCInferenceServiceClient(channel);
        var answer = await client.ModelInferAsync(Raw(Model, ("", [1, 6], Ones(6))));
        Fixtures.AssertClose(Fixtures.ScriptedOnesOutput, Floats(answer.RawOutputContents[0]));
    }

    [Fact]
    public async Task A_request_framed_by_hand_over_http2_gets_the_framed_response_and_the_status_in_trailers()
    {
        using var http = H2c();
        using var response = await http.SendAsync(Framed(Raw(Model, ("", [1, 6], Ones(6))).ToByteArray()));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new Version(2, 0), response.Version);
        Assert.Equal("application/grpc", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(0, body[0]);
        Assert.Equal(body.Length - 5, BinaryPrimitives.ReadInt32BigEndian(body.AsSpan(1)));
        var answer = ModelInferResponse.Parser.ParseFrom(body.AsSpan(5));
        Fixtures.AssertClose(Fixtures.ScriptedOnesOutput, Floats(answer.RawOutputContents[0]));
        Assert.Equal("0", Trailer(response, "grpc-status"));
    }

    [Fact]
    public async Task A_truncated_stream_is_refused_with_a_named_status_and_the_server_keeps_serving()
    {
        var message = Raw(Model, ("", [1, 6], Ones(6))).ToByteArray();
        using var http = H2c();

        // The prefix promises more bytes than the stream carries before it ends.
        var framed = Frame(message, declaredLength: message.Length + 100);
        using var truncated = await http.SendAsync(Request(framed));
        var status = Trailer(truncated, "grpc-status") ?? truncated.Headers.GetValues("grpc-status").Single();
        var detail = Uri.UnescapeDataString(Trailer(truncated, "grpc-message") ?? string.Join("", truncated.Headers.TryGetValues("grpc-message", out var m) ? m : []));
        Assert.True(status == ((int)global::Grpc.Core.StatusCode.InvalidArgument).ToString(), $"grpc-status {status}: {detail}");
        Assert.Contains("incomplete", detail, StringComparison.OrdinalIgnoreCase);

        // A stream that ends inside the 5-byte prefix.
        using var cut = await http.SendAsync(Request(framed[..3]));
        var cutStatus = Trailer(cut, "grpc-status") ?? cut.Headers.GetValues("grpc-status").Single();
        Assert.Equal(((int)global::Grpc.Core.StatusCode.InvalidArgument).ToString(), cutStatus);

        using var good = await http.SendAsync(Framed(message));
        Assert.Equal("0", Trailer(good, "grpc-status"));
    }

    private static string? Trailer(HttpResponseMessage response, string name) =>
        response.TrailingHeaders.TryGetValues(name, out var values) ? values.Single() : null;

    private HttpClient H2c() => new(new SocketsHttpHandler())
    {
        BaseAddress = GrpcAddress,
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrHigher,
        Timeout = TimeSpan.FromSeconds(30),
    };

    private static HttpRequestMessage Framed(byte[] message) => Request(Frame(message, message.Length));

    private static HttpRequestMessage Request(byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/inference.GRPCInferenceService/ModelInfer")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrHigher,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        return request;
    }

    /// <summary>gRPC's length-prefixed message: a compression flag byte (0) and the length as 4 big-endian bytes.</summary>
    private static byte[] Frame(byte[] message, int declaredLength)
    {
        var framed = new byte[5 + message.Length];
        BinaryPrimitives.WriteInt32BigEndian(framed.AsSpan(1), declaredLength);
        message.CopyTo(framed, 5);
        return framed;
    }
}
