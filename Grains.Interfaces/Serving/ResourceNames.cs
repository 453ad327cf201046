using System.Text.RegularExpressions;
using OrleansML.Errors;

namespace OrleansML.Serving;

/// <summary>
/// Names users give to models, labels and datasets. They become grain keys and parts of storage keys, so they are
/// held to a safe pattern: letters, digits, '.', '_' and '-', starting with a letter or digit, no "..".
/// </summary>
public static partial class ResourceNames
{
    public const string Pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$";

    public static bool IsValid(string? name) => name is not null && SafeName().IsMatch(name) && !name.Contains("..", StringComparison.Ordinal);

    /// <summary>Throws a <see cref="PlatformException"/> (400) naming the bad value and the rule.</summary>
    public static string Validate(string? name, string what)
    {
        if (!IsValid(name))
        {
            throw PlatformException.Invalid($"{what} name '{Truncate(name)}' is invalid: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit, without '..'.");
        }

        return name!;
    }

    private static string Truncate(string? value) => value is null ? "" : value.Length > 80 ? value[..80] + "..." : value;

    [GeneratedRegex(Pattern, RegexOptions.CultureInvariant)]
    private static partial Regex SafeName();
}
