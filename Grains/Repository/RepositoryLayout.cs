using System.Globalization;
using OrleansML.Serving;

namespace OrleansML.Repository;

/// <summary>One version folder as listed: <c>{model}/{number}/</c> and its files.</summary>
public sealed record ListedVersion(string Model, int Number, IReadOnlyList<RepositoryFile> Files)
{
    public string Path => $"{Model}/{Number}";

    /// <summary>Changes whenever a file of the folder is added, removed or rewritten.</summary>
    public string ChangeToken => string.Join('|', Files.Select(f => $"{f.Path}={f.ChangeToken}"));
}

/// <summary>One model folder as listed: its config.json, if any, and its version folders by number.</summary>
public sealed record ListedModel(string Name, RepositoryFile? Config, IReadOnlyDictionary<int, ListedVersion> Versions);

/// <summary>
/// Reads a repository listing as <c>&lt;model&gt;/&lt;version&gt;/&lt;file&gt;</c> plus <c>&lt;model&gt;/config.json</c>. Every other
/// entry becomes a <see cref="RepositoryProblem"/> naming the path and what is wrong; entries whose name starts with
/// a dot (<c>.DS_Store</c>, an upload tool's temporary files) are ignored.
/// </summary>
public sealed record RepositoryLayout(IReadOnlyDictionary<string, ListedModel> Models, IReadOnlyList<RepositoryProblem> Problems)
{
    public const string ConfigFile = "config.json";

    public static RepositoryLayout Parse(IEnumerable<RepositoryFile> files)
    {
        var configs = new Dictionary<string, RepositoryFile>(StringComparer.Ordinal);
        var versions = new Dictionary<string, SortedDictionary<int, List<RepositoryFile>>>(StringComparer.Ordinal);
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            var parts = file.Path.Split('/');
            if (parts.Any(p => p.StartsWith('.')))
            {
                continue;
            }

            if (parts.Length == 1)
            {
                problems.TryAdd(file.Path, "a file at the repository's root is not read; models are folders laid out <model>/<version>/<file>.");
                continue;
            }

            var model = parts[0];
            if (!ResourceNames.IsValid(model))
            {
                problems.TryAdd(model, $"'{model}' is not a valid model name: use letters, digits, '.', '_' or '-'.");
                continue;
            }

            if (parts.Length == 2)
            {
                if (parts[1] == ConfigFile)
                {
                    configs[model] = file;
                }
                else
                {
                    problems.TryAdd(file.Path, $"'{parts[1]}' in a model folder is not read; a model folder holds {ConfigFile} and version folders.");
                }

                continue;
            }

            var folder = $"{model}/{parts[1]}";
            if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1
                || number.ToString(CultureInfo.InvariantCulture) != parts[1])
            {
                problems.TryAdd(folder, $"version folder '{parts[1]}' is not a number: version folders are named 1, 2, 3 ... (no sign, no leading zeros).");
                continue;
            }

            if (parts.Length > 3)
            {
                problems.TryAdd(file.Path, "a nested folder in a version folder is not read; the model file sits directly in <model>/<version>/.");
                continue;
            }

            var byNumber = versions.TryGetValue(model, out var found) ? found : versions[model] = [];
            (byNumber.TryGetValue(number, out var list) ? list : byNumber[number] = []).Add(file);
        }

        var models = configs.Keys.Union(versions.Keys).Order(StringComparer.Ordinal).ToDictionary(
            name => name,
            name => new ListedModel(
                name,
                configs.GetValueOrDefault(name),
                versions.TryGetValue(name, out var byNumber)
                    ? byNumber.ToDictionary(v => v.Key, v => new ListedVersion(name, v.Key, v.Value))
                    : new Dictionary<int, ListedVersion>()),
            StringComparer.Ordinal);
        return new RepositoryLayout(models, problems.Select(p => new RepositoryProblem(p.Key, p.Value)).ToArray());
    }
}
