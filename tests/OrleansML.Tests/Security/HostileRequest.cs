namespace OrleansML.Tests.Security;

/// <summary>
/// One malformed request aimed at an endpoint: <see cref="Route"/> is the endpoint's route pattern as the API's
/// endpoint data source has it, <see cref="Method"/> the HTTP method it sends. A method the route does not map makes
/// it a wrong-method probe. <see cref="Build"/> makes a fresh message for each send.
/// </summary>
public sealed record HostileRequest(string Route, string Method, string Case, string Path, Func<HttpContent?>? Content = null)
{
    /// <summary>Null: the request is malformed and must be refused with a 4xx. Otherwise why a 2xx is right for it.</summary>
    public string? Tolerated { get; init; }

    /// <summary>
    /// Null: a 4xx must come in the route's error shape. Otherwise why this route's 4xx has a body of its own (an
    /// endpoint the API maps but a framework package writes); it must still be a 4xx with a body.
    /// </summary>
    public string? OwnErrorBody { get; init; }

    /// <summary>Extra request headers, such as an Accept the API cannot honour.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public HttpRequestMessage Build()
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), new Uri(Path, UriKind.Relative)) { Content = Content?.Invoke() };
        foreach (var (name, value) in Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        return message;
    }

    public override string ToString() => $"{Method} {Route} [{Case}] {(Path.Length > 120 ? Path[..120] + "..." : Path)}";
}
