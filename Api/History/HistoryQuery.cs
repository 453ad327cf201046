using System.Globalization;
using OrleansML.Errors;
using OrleansML.History;

namespace OrleansML.Api.History;

/// <summary>Reads the history's query parameters (<c>page</c>, <c>pageSize</c>, <c>at</c>), naming what does not parse.</summary>
public static class HistoryQuery
{
    private static readonly string[] Instants = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK"];

    public static int Page(string? text) => Number(text, "page", 1, int.MaxValue, 1);

    public static int PageSize(string? text) => Number(text, "pageSize", 1, ModelHistoryPage.MaxPageSize, ModelHistoryPage.DefaultPageSize);

    /// <summary>An ISO 8601 date and time such as <c>2026-12-01T10:00:00Z</c>; without an offset it is UTC.</summary>
    public static DateTimeOffset At(string text) =>
        DateTimeOffset.TryParseExact(text, Instants, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : throw PlatformException.Invalid($"'at' must be an ISO 8601 date and time such as 2026-12-01T10:00:00Z; '{text}' is not.");

    private static int Number(string? text, string name, int min, int max, int fallback)
    {
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw PlatformException.Invalid($"'{name}' must be a whole number from {min} to {max}; '{text}' is not.");
    }
}
