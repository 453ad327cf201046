using OrleansML.Errors;
using OrleansML.Serving;

namespace OrleansML.Tests.Repository;

public sealed class VersionNumberingTests
{
    private static ModelVersionInfo Version(int number, VersionState state, string source = "upload") => new()
    {
        Version = number, State = state, Format = ModelFormat.TorchScript, Signature = new ModelSignature([], []),
        Sha256 = $"sha{number}", SizeBytes = 1, CreatedAt = DateTimeOffset.UnixEpoch, Source = source, ArtifactKey = $"models/m/{number}/artifact",
    };

    private static NewModelVersion Request(int? number) => new() { StagingKey = "staging/x", Number = number };

    [Fact]
    public void Without_a_number_a_version_takes_the_next_one()
    {
        var state = new ModelState { LastVersion = 7 };

        Assert.Equal(8, VersionNumbering.Resolve(state, Request(null), "m"));
    }

    [Fact]
    public void A_repository_number_above_or_between_the_existing_ones_is_taken_as_given()
    {
        var state = new ModelState { LastVersion = 5, Versions = [Version(5, VersionState.Available)] };

        Assert.Equal(3, VersionNumbering.Resolve(state, Request(3), "m"));
        Assert.Equal(12, VersionNumbering.Resolve(state, Request(12), "m"));
    }

    [Fact]
    public void A_number_the_model_already_serves_is_a_conflict_naming_its_source()
    {
        var state = new ModelState { LastVersion = 2, Versions = [Version(2, VersionState.Available)] };

        var refused = Assert.Throws<PlatformException>(() => VersionNumbering.Resolve(state, Request(2), "m"));

        Assert.Equal(ErrorKind.Conflict, refused.Kind);
        Assert.Contains("already has version 2 (source 'upload'", refused.Message);
    }

    [Fact]
    public void A_number_below_one_is_invalid()
    {
        Assert.Equal(ErrorKind.Invalid, Assert.Throws<PlatformException>(() => VersionNumbering.Resolve(new ModelState(), Request(0), "m")).Kind);
    }

    [Fact]
    public void A_FAILED_version_is_replaced_in_place_and_the_list_stays_ordered()
    {
        var state = new ModelState { LastVersion = 4, Versions = [Version(1, VersionState.Available), Version(2, VersionState.Failed), Version(4, VersionState.Available)] };

        Assert.Equal(2, VersionNumbering.Resolve(state, Request(2), "m"));
        VersionNumbering.Put(state, Version(2, VersionState.Available, "repository:m/2"));
        VersionNumbering.Put(state, Version(3, VersionState.Available, "repository:m/3"));
        VersionNumbering.Put(state, Version(9, VersionState.Available, "repository:m/9"));

        Assert.Equal([1, 2, 3, 4, 9], state.Versions.Select(v => v.Version));
        Assert.Equal("repository:m/2", state.Versions[1].Source);
        Assert.Equal(9, state.LastVersion);
    }
}
