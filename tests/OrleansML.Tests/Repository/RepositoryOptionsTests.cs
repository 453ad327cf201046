using OrleansML.Repository;

namespace OrleansML.Tests.Repository;

public sealed class RepositoryOptionsTests
{
    [Theory]
    [InlineData("ftp://host/models", "OrleansML:Repository:Url is 'ftp://host/models'")]
    [InlineData("models", "OrleansML:Repository:Url is 'models'")]
    [InlineData("s3:///prefix", "names no bucket")]
    [InlineData("az:///prefix", "names no container")]
    public void A_url_that_names_no_repository_stops_startup_naming_the_key(string url, string message)
    {
        var failure = Assert.Throws<InvalidOperationException>(() => new RepositoryOptions { Url = url }.Validate());

        Assert.Contains(message, failure.Message);
    }

    [Fact]
    public void A_poll_interval_that_is_not_positive_is_refused()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => new RepositoryOptions { Url = "file:///models", PollInterval = TimeSpan.Zero }.Validate());

        Assert.Contains("OrleansML:Repository:PollInterval", failure.Message);
    }

    [Fact]
    public void An_az_repository_without_a_connection_string_or_service_uri_is_refused()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => new RepositoryOptions { Url = "az://models/prod" }.Validate());

        Assert.Contains("OrleansML:Repository:AzureBlob", failure.Message);
    }

    [Theory]
    [InlineData("file:///srv/models", "file")]
    [InlineData("s3://bucket/prefix/path", "s3")]
    public void Urls_of_each_kind_are_accepted(string url, string scheme)
    {
        Assert.Equal(scheme, new RepositoryOptions { Url = url }.Validate().Scheme);
    }

    [Fact]
    public void Empty_is_off()
    {
        Assert.False(new RepositoryOptions().Enabled);
    }
}
