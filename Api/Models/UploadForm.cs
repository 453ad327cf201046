using System.Text.Json;
using Microsoft.Extensions.Options;
using OrleansML.Api.Http;
using OrleansML.Errors;
using OrleansML.Serving;

namespace OrleansML.Api.Models;

/// <summary>
/// The multipart form of an upload: the <c>artifact</c> file, an optional <c>format</c> field (<c>TorchScript</c>,
/// <c>Onnx</c> or <c>Native</c>; without it the format is detected from the file), and optional JSON parts <c>signature</c>,
/// <c>architecture</c> and <c>preprocessing</c> (as fields or files).
/// </summary>
public static class UploadForm
{
    public static async Task<UploadModelVersion> ReadAsync(string name, HttpRequest request, long limit, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType || request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) != true)
        {
            throw new BadHttpRequestException(
                $"expected a multipart/form-data body with an 'artifact' file, got '{request.ContentType ?? "none"}'.",
                StatusCodes.Status415UnsupportedMediaType);
        }

        var form = await MultipartForm.ReadAsync(request, limit, cancellationToken);
        var artifact = form.Files.GetFile("artifact")
            ?? throw PlatformException.Invalid("the upload has no 'artifact' file part.");
        return new UploadModelVersion(
            name,
            artifact.OpenReadStream(),
            Format(form),
            (await PartAsync<SignaturePart>(form, "signature", json))?.ToSignature(),
            await PartAsync<ArchitectureSpec>(form, "architecture", json),
            await PartAsync<Standardization>(form, "preprocessing", json));
    }

    private static ModelFormat? Format(IFormCollection form) =>
        form.TryGetValue("format", out var field) ? field.ToString().ToLowerInvariant() switch
        {
            "" => null,
            "torchscript" => ModelFormat.TorchScript,
            "native" => ModelFormat.Native,
            "onnx" => ModelFormat.Onnx,
            var other => throw PlatformException.Invalid($"the 'format' part is '{(other.Length > 40 ? other[..40] + "..." : other)}'; use TorchScript, Onnx or Native, or leave it out to detect the format."),
        }
        : null;

    private static async Task<T?> PartAsync<T>(IFormCollection form, string part, JsonSerializerOptions json)
        where T : class
    {
        string? text = form.TryGetValue(part, out var field) ? field.ToString() : null;
        if (text is null && form.Files.GetFile(part) is { } file)
        {
            using var reader = new StreamReader(file.OpenReadStream());
            text = await reader.ReadToEndAsync();
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(text, json) ?? throw PlatformException.Invalid($"the '{part}' part is null.");
        }
        catch (JsonException exception)
        {
            throw PlatformException.Invalid($"the '{part}' part is not a valid {typeof(T).Name}: {exception.Message}");
        }
    }

    /// <summary>The JSON options of the HTTP API, for parts read outside model binding.</summary>
    public static JsonSerializerOptions JsonOptions(IServiceProvider services) =>
        services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
}

/// <summary>
/// The <c>signature</c> part: <c>{"inputs": [{"name", "dataType", "shape"}], "outputs"?: [...]}</c>; a one-input
/// model may give <c>"input": {...}</c> instead of the list.
/// </summary>
public sealed record SignaturePart(TensorSpec[]? Inputs = null, TensorSpec? Input = null, TensorSpec[]? Outputs = null)
{
    public ModelSignature ToSignature()
    {
        if ((Inputs is null) == (Input is null))
        {
            throw PlatformException.Invalid("the 'signature' part needs exactly one of 'inputs' (a list) or 'input' (a one-input model).");
        }

        return new ModelSignature(Inputs ?? [Input!], Outputs ?? []);
    }
}
