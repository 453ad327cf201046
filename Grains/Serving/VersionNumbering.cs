using OrleansML.Errors;

namespace OrleansML.Serving;

/// <summary>
/// Which number a new version of a model takes (the next one, or the one a model repository's folder names) and how
/// it enters the model's list, which stays ordered by number.
/// </summary>
public static class VersionNumbering
{
    /// <summary>The number <paramref name="request"/> registers as; refuses one the model already serves or is loading.</summary>
    public static int Resolve(ModelState state, NewModelVersion request, string model)
    {
        if (request.Number is not { } wanted)
        {
            return state.LastVersion + 1;
        }

        if (wanted < 1)
        {
            throw PlatformException.Invalid($"version number {wanted} is invalid: version numbers start at 1.");
        }

        if (state.Versions.FirstOrDefault(v => v.Version == wanted) is { State: not VersionState.Failed } taken)
        {
            throw PlatformException.Conflict(
                $"model '{model}' already has version {wanted} (source '{taken.Source}', SHA-256 {taken.Sha256}); a version's bytes never change, so give the new one another number.");
        }

        return wanted;
    }

    /// <summary>Puts <paramref name="version"/> in its place, replacing a FAILED version of the same number.</summary>
    public static void Put(ModelState state, ModelVersionInfo version)
    {
        state.Versions.RemoveAll(v => v.Version == version.Version);
        var index = state.Versions.FindIndex(v => v.Version > version.Version);
        state.Versions.Insert(index < 0 ? state.Versions.Count : index, version);
        state.LastVersion = Math.Max(state.LastVersion, version.Version);
    }
}
