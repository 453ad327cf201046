using System.Globalization;
using OrleansML.Errors;
using OrleansML.Jobs;
using OrleansML.Serving;

namespace OrleansML.Api.Jobs;

/// <summary>Reads a job list's query string (<c>state</c>, <c>model</c>, <c>page</c>, <c>pageSize</c>), naming what does not parse.</summary>
public static class JobListQuery
{
    public static JobQuery Parse<TState>(string? state, string? model, string? page, string? pageSize)
        where TState : struct, Enum
    {
        var query = new JobQuery
        {
            Page = Number(page, "page", 1, int.MaxValue, 1),
            PageSize = Number(pageSize, "pageSize", 1, JobQuery.MaxPageSize, 20),
        };
        if (state is not null)
        {
            if (!Enum.TryParse<TState>(state, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || state.Any(c => !char.IsAsciiLetter(c)))
            {
                throw PlatformException.Invalid($"'state' must be one of {string.Join(", ", Enum.GetNames<TState>())}; '{state}' is not.");
            }

            query = query with { State = Enum.Parse<JobState>(parsed.ToString()) };
        }

        if (model is not null)
        {
            if (!ResourceNames.IsValid(model))
            {
                throw PlatformException.Invalid($"'model' is not a valid model name.");
            }

            query = query with { Model = model };
        }

        return query;
    }

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
