using OrleansML.Repository;

namespace OrleansML.Tests.Repository;

public sealed class RepositoryLayoutTests
{
    private static RepositoryLayout Parse(params string[] paths) =>
        RepositoryLayout.Parse(paths.Select(p => new RepositoryFile(p, 1, "t")));

    [Fact]
    public void Version_folders_and_config_json_make_the_models()
    {
        var layout = Parse("a/config.json", "a/1/model.pt", "a/2/weights.bin", "a/2/architecture.json", "b/10/model.onnx");

        Assert.Empty(layout.Problems);
        Assert.Equal(["a", "b"], layout.Models.Keys.Order());
        Assert.Equal("a/config.json", layout.Models["a"].Config?.Path);
        Assert.Equal([1, 2], layout.Models["a"].Versions.Keys.Order());
        Assert.Equal(2, layout.Models["a"].Versions[2].Files.Count);
        Assert.Equal("b/10", layout.Models["b"].Versions[10].Path);
    }

    [Theory]
    [InlineData("m/v1/model.pt", "m/v1")]
    [InlineData("m/01/model.pt", "m/01")]
    [InlineData("m/0/model.pt", "m/0")]
    [InlineData("m/-1/model.pt", "m/-1")]
    [InlineData("m/99999999999/model.pt", "m/99999999999")]
    public void A_version_folder_that_is_not_a_number_is_a_problem_and_not_a_version(string path, string folder)
    {
        var layout = Parse(path, "m/1/model.pt");

        var problem = Assert.Single(layout.Problems);
        Assert.Equal(folder, problem.Path);
        Assert.Contains("is not a number", problem.Reason);
        Assert.Equal([1], layout.Models["m"].Versions.Keys);
    }

    [Theory]
    [InlineData("model.pt", "repository's root")]
    [InlineData("m/model.pt", "in a model folder is not read")]
    [InlineData("m/1/sub/model.pt", "nested folder")]
    [InlineData("bad name/1/model.pt", "not a valid model name")]
    public void Entries_outside_the_layout_are_problems_naming_what_is_wrong(string path, string reason)
    {
        var layout = Parse(path, "ok/1/model.pt");

        Assert.Contains(reason, Assert.Single(layout.Problems).Reason);
        Assert.Equal(["ok"], layout.Models.Keys);
    }

    [Fact]
    public void Hidden_entries_are_ignored()
    {
        var layout = Parse(".DS_Store", "m/.staging/model.pt", "m/1/.model.pt.tmp", "m/1/model.pt");

        Assert.Empty(layout.Problems);
        Assert.Equal("m/1/model.pt", Assert.Single(layout.Models["m"].Versions[1].Files).Path);
    }

    [Fact]
    public void A_folder_change_token_changes_with_any_of_its_files()
    {
        var before = RepositoryLayout.Parse([new("m/1/model.pt", 4, "a")]).Models["m"].Versions[1].ChangeToken;
        var rewritten = RepositoryLayout.Parse([new("m/1/model.pt", 4, "b")]).Models["m"].Versions[1].ChangeToken;
        var added = RepositoryLayout.Parse([new("m/1/model.pt", 4, "a"), new("m/1/architecture.json", 2, "c")]).Models["m"].Versions[1].ChangeToken;

        Assert.NotEqual(before, rewritten);
        Assert.NotEqual(before, added);
    }
}
