using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Xunit.Abstractions;

namespace OrleansML.Tests.Security;

/// <summary>
/// The hostile-input suite's gRPC part: every gRPC method the API maps gets frames no client should send (bytes that
/// are not the method's message, a stream cut inside the prefix or the message, an unknown compression, nothing at
/// all). Each call must end with a status naming the problem, never OK, UNKNOWN or INTERNAL, and nothing changes.
/// The typed refusals (datatypes, shapes, names, limits) are in <c>Grpc/GrpcBadInputTests</c>, and the reasons protobuf
/// gives for bytes that are not the method's message in <c>Grpc/GrpcUndecodableMessageTests</c>.
/// </summary>
public sealed class GrpcHostileInputTests(HostileApiFixture api, ITestOutputHelper output) : IClassFixture<HostileApiFixture>
{
    private static readonly (string Case, byte[] Body)[] Frames =
    [
        ("stream ends inside the 5-byte prefix", [0, 0, 0]),
        ("stream ends inside the message", Frame([0x0A, 0x03, 0x61], declaredLength: 200)),
        ("compressed flag with no grpc-encoding", [1, 0, 0, 0, 1, 0]),
        ("a whole message that is not a protobuf", Frame([0xFF, 0xFF, 0xFF, 0xFF])),
    ];

    [Fact]
    public async Task Every_grpc_method_refuses_malformed_frames_with_a_named_status_and_changes_nothing()
    {
        var routes = api.Inventory.GrpcMethods;
        Assert.Contains("/inference.GRPCInferenceService/ModelInfer", routes);
        Assert.Contains("/tensorflow.serving.PredictionService/Predict", routes);
        var state = await KnownState.CreateAsync(api.Client);
        var before = await state.CaptureAsync(api.Client, api.DataDirectory);

        var wrong = new List<string>();
        foreach (var route in routes)
        {
            foreach (var (name, body) in Frames)
            {
                var (status, message) = await CallAsync(route, body);
                output.WriteLine($"{route} [{name}] → {status} {message}");
                if (status is null or "0" or "2" or "13" || string.IsNullOrWhiteSpace(message))
                {
                    wrong.Add($"{route} [{name}] → grpc-status {status ?? "none"}: {message}");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
        var after = await state.CaptureAsync(api.Client, api.DataDirectory);
        foreach (var (read, value) in before)
        {
            Assert.True(value == after[read], $"{read} changed");
        }
    }

    private async Task<(string? Status, string? Message)> CallAsync(string route, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, route) { Version = HttpVersion.Version20, Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        using var response = await api.Client.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        string? Read(string name) =>
            response.TrailingHeaders.TryGetValues(name, out var t) ? t.Single()
            : response.Headers.TryGetValues(name, out var h) ? h.Single() : null;
        return (Read("grpc-status"), Read("grpc-message") is { } m ? Uri.UnescapeDataString(m) : null);
    }

    private static byte[] Frame(byte[] message, int? declaredLength = null)
    {
        var framed = new byte[5 + message.Length];
        BinaryPrimitives.WriteInt32BigEndian(framed.AsSpan(1), declaredLength ?? message.Length);
        message.CopyTo(framed, 5);
        return framed;
    }
}
