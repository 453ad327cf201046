using OrleansML.Errors;

namespace OrleansML.Datasets.Import;

/// <summary>
/// An import URL split into its store (<c>file</c> or <c>s3</c>), the fixed part of the path before any glob
/// segment, and the glob below it: <c>s3://lake/features/2026-12-01/*.parquet</c> is bucket <c>lake</c>, prefix
/// <c>features/2026-12-01/</c>, glob <c>*.parquet</c>. A URL without a glob names a folder (every <c>.parquet</c>
/// file under it, as Spark writes them) or one file.
/// </summary>
public sealed record SourceUrl(string Scheme, string Container, string Prefix, string? Glob, string Original)
{
    private static readonly char[] GlobChars = ['*', '?', '[', '{'];

    public static SourceUrl Parse(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            throw PlatformException.Invalid("'url' names the Parquet files to import, e.g. s3://bucket/prefix/*.parquet or file:///data/*.parquet.");
        }

        if (url.Length > 2048 || url.Any(char.IsControl))
        {
            throw PlatformException.Invalid("'url' is longer than 2048 characters or holds control characters.");
        }

        var separator = url.IndexOf("://", StringComparison.Ordinal);
        var scheme = separator > 0 ? url[..separator].ToLowerInvariant() : "";
        var rest = separator > 0 ? url[(separator + 3)..] : "";
        var (container, path) = scheme switch
        {
            "file" when rest.StartsWith('/') => ("", rest),
            "s3" when rest.IndexOf('/') is var slash and > 0 => (rest[..slash], rest[(slash + 1)..]),
            "s3" when rest.Length > 0 && !rest.Contains('/') => (rest, ""),
            _ => throw PlatformException.Invalid($"'url' {Quote(url)} is not a file:///path or s3://bucket/prefix URL."),
        };

        var segments = Uri.UnescapeDataString(path).Split('/');
        if (segments.Any(s => s is "." or ".."))
        {
            throw PlatformException.Invalid($"'url' {Quote(url)} has a '.' or '..' segment.");
        }

        var firstGlob = Array.FindIndex(segments, s => s.IndexOfAny(GlobChars) >= 0);
        return firstGlob < 0
            ? new SourceUrl(scheme, container, string.Join('/', segments), null, url)
            : new SourceUrl(scheme, container, firstGlob == 0 ? "" : string.Join('/', segments[..firstGlob]) + "/", string.Join('/', segments[firstGlob..]), url);
    }

    public static string Quote(string value) => $"'{(value.Length > 200 ? value[..200] + "..." : value)}'";
}
