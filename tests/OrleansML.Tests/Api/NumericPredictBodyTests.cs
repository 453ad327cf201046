using System.Text;
using System.Text.Json;
using OrleansML.Api.Http;
using OrleansML.Api.Models;
using OrleansML.Errors;

namespace OrleansML.Tests.Api;

/// <summary>
/// The one-pass reader of the common predict body reads exactly what the document reader reads, and leaves every
/// body it does not read exactly that way (named inputs, strings, errors, limits) to the document reader.
/// </summary>
public sealed class NumericPredictBodyTests
{
    private static readonly ApiLimits Limits = new() { MaxPredictRows = 3, MaxPredictElements = 12 };

    [Theory]
    [InlineData("""{"inputs": [[0.5, 1.25, -3], [1, 2, 3.5]]}""")]
    [InlineData("""{"inputs": [0.5, 1.5, 2.5]}""")]
    [InlineData("""{"inputs": [[1, 2, 3], [4, 5, -6]]}""")]
    [InlineData("""{"inputs": [[1, 2.0]]}""")]
    [InlineData("""{"inputs": [[1e3, 2]]}""")]
    [InlineData("""{"inputs": [[99999999999999999999, 1]]}""")]
    [InlineData("""{"inputs": [[9.21e18, 1]]}""")]
    [InlineData("""{"inputs": [[-0, 7]]}""")]
    [InlineData("""{"version": 2, "label": "stable", "outputs": ["a", "b"], "inputs": [[1.5]]}""")]
    [InlineData("""{"inputs": [[1.5]], "version": null, "label": null, "outputs": null, "extra": {"x": [1, {"y": 2}]}}""")]
    [InlineData("""{"inputs": [[1.5]], "outputs": []}""")]
    [InlineData(""" {"inputs":[[1.5,2.5,3.5,4.5],[1,2,3,4],[5,6,7,8]]} """)]
    public void A_numeric_body_reads_as_the_document_reader_reads_it(string json)
    {
        var fast = NumericPredictBody.TryRead("m", Encoding.UTF8.GetBytes(json), Limits);

        Assert.NotNull(fast);
        using var document = JsonDocument.Parse(json);
        var expected = PredictBody.Read("m", document.RootElement, Limits);
        Assert.Equal((expected.Name, expected.Version, expected.Label), (fast.Name, fast.Version, fast.Label));
        Assert.Equal(expected.Outputs, fast.Outputs);
        var (tensor, wanted) = (Assert.Single(fast.Inputs), Assert.Single(expected.Inputs));
        Assert.Equal((wanted.Name, wanted.DataType), (tensor.Name, tensor.DataType));
        Assert.Equal(wanted.Shape, tensor.Shape);
        Assert.Equal(wanted.Data, tensor.Data);
    }

    [Theory]
    [InlineData("""{"inputs": {"a": [[1]], "b": [[2]]}}""")]
    [InlineData("""{"inputs": [["a", "b"]]}""")]
    [InlineData("""{"inputs": [[true, false]]}""")]
    [InlineData("""{"inputs": [[1, 2], [3]]}""")]
    [InlineData("""{"inputs": [[[1]]]}""")]
    [InlineData("""{"inputs": [[1], 2]}""")]
    [InlineData("""{"inputs": [1, [2]]}""")]
    [InlineData("""{"inputs": []}""")]
    [InlineData("""{"inputs": [[]]}""")]
    [InlineData("""{"inputs": [[1e400]]}""")]
    [InlineData("""{"inputs": [[1], [2], [3], [4]]}""")]
    [InlineData("""{"inputs": [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]]}""")]
    [InlineData("""{"inputs": [[1]], "inputs": [[2]]}""")]
    [InlineData("""{"inputs": [[1]], "version": 1.5}""")]
    [InlineData("""{"inputs": [[1]], "version": "2"}""")]
    [InlineData("""{"inputs": [[1]], "label": 3}""")]
    [InlineData("""{"inputs": [[1]], "outputs": ["a", 1]}""")]
    [InlineData("""{"inputs": [[1]], "label": "\ud800"}""")]
    [InlineData("""{"inputs": [[1]]} {}""")]
    [InlineData("""{"inputs": [[1]],}""")]
    [InlineData("""{"inputs": [[1]]""")]
    [InlineData("""[[1]]""")]
    [InlineData("""{"version": 1}""")]
    [InlineData("")]
    public void Any_other_body_is_left_to_the_document_reader(string json)
    {
        Assert.Null(NumericPredictBody.TryRead("m", Encoding.UTF8.GetBytes(json), Limits));
    }

    [Fact]
    public void Invalid_utf8_is_left_to_the_document_reader_and_its_message()
    {
        byte[] body = [.. Encoding.ASCII.GetBytes("{\"inputs\": [[1]], \"label\": \""), 0xC3, 0x28, .. Encoding.ASCII.GetBytes("\"}")];

        Assert.Null(NumericPredictBody.TryRead("m", body, Limits));
        var refused = Assert.Throws<Microsoft.AspNetCore.Http.BadHttpRequestException>(() => RequestBody.ParseJson(body));
        Assert.Contains("not UTF-8", refused.Message);
    }

    [Fact]
    public void The_limits_the_fast_reader_leaves_are_refused_by_the_document_reader_by_name()
    {
        using var document = JsonDocument.Parse("""{"inputs": [[1], [2], [3], [4]]}""");

        var refused = Assert.Throws<PlatformException>(() => PredictBody.Read("m", document.RootElement, Limits));
        Assert.Contains("MaxPredictRows", refused.Message);
    }
}
