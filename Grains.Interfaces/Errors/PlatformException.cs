namespace OrleansML.Errors;

/// <summary>
/// A request the platform refuses, with the reason a caller can act on. It crosses grain calls intact, and the API
/// maps <see cref="Kind"/> to the HTTP status (400, 404, 409, 429).
/// </summary>
[GenerateSerializer, Alias("OrleansML.Errors.PlatformException")]
public sealed class PlatformException : Exception
{
    public PlatformException(ErrorKind kind, string message) : base(message) => Kind = kind;

    [Id(0)]
    public ErrorKind Kind { get; init; }

    public static PlatformException Invalid(string message) => new(ErrorKind.Invalid, message);

    public static PlatformException NotFound(string message) => new(ErrorKind.NotFound, message);

    public static PlatformException Conflict(string message) => new(ErrorKind.Conflict, message);

    public static PlatformException LimitReached(string message) => new(ErrorKind.LimitReached, message);
}

/// <summary>Why a request was refused.</summary>
[GenerateSerializer, Alias("OrleansML.Errors.ErrorKind")]
public enum ErrorKind
{
    /// <summary>The request itself is wrong (400).</summary>
    Invalid,

    /// <summary>It names a model, version, label, dataset or job that does not exist (404).</summary>
    NotFound,

    /// <summary>It conflicts with the current state, such as deleting a labelled version (409).</summary>
    Conflict,

    /// <summary>A platform limit is reached, such as the number of training jobs running at once; retry later (429).</summary>
    LimitReached,
}
