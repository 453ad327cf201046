using System.Buffers;
using System.Text.Json;

namespace OrleansML.Api.Http;

/// <summary>
/// A JSON response written with a <see cref="Utf8JsonWriter"/> straight into one buffer and then the body: tensor
/// values go from their buffers to UTF-8 with no object graph between.
/// </summary>
public sealed class JsonWriterResult(Action<Utf8JsonWriter> write) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        httpContext.Response.ContentType = "application/json; charset=utf-8";
        httpContext.Response.ContentLength = buffer.WrittenCount;
        await httpContext.Response.Body.WriteAsync(buffer.WrittenMemory, httpContext.RequestAborted);
    }
}
