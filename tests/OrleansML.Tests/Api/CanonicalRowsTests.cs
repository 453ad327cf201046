using System.Globalization;
using System.Text;
using System.Text.Json;
using OrleansML.Api.Http;
using OrleansML.Api.Models;

namespace OrleansML.Tests.Api;

/// <summary>
/// The byte scanner of the canonical predict body gives exactly the tensor the document reader gives (datatype,
/// shape and every bit of every value), for numbers of every form JSON allows, and leaves everything else alone.
/// </summary>
public sealed class CanonicalRowsTests
{
    private static readonly ApiLimits Limits = new() { MaxPredictRows = 64, MaxPredictElements = 4096 };

    private static void AssertReadsAsTheDocumentReader(string json)
    {
        var scanned = CanonicalRows.TryScan(Encoding.UTF8.GetBytes(json), Limits);

        Assert.True(scanned is not null, $"not scanned: {json}");
        using var document = JsonDocument.Parse(json);
        var expected = Assert.Single(PredictBody.Read("m", document.RootElement, Limits).Inputs);
        Assert.Equal((expected.Name, expected.DataType), (scanned.Name, scanned.DataType));
        Assert.Equal(expected.Shape, scanned.Shape);
        var want = expected.Data.AsSpan();
        var got = scanned.Data.AsSpan();
        for (var i = 0; i < want.Length; i += sizeof(long))
        {
            Assert.True(want.Slice(i, sizeof(long)).SequenceEqual(got.Slice(i, sizeof(long))),
                $"value {i / sizeof(long)} differs in {json}: {BitConverter.ToDouble(want[i..])} against {BitConverter.ToDouble(got[i..])}");
        }
    }

    // NumericPredictBodyTests' bodies of this shape take this path too; these add the edges of the number grammar.
    [Theory]
    [InlineData("""{"inputs": [[2, 1E+3, 0.5e-2]]}""")]
    [InlineData("""{"inputs": [[1, 999999999999999999, 1000000000000000000, 9200000000000000000]]}""")]
    [InlineData("""{"inputs": [[1, 9200000000000000001]]}""")]
    [InlineData("""{"inputs": [[1.5, -0]]}""")]
    [InlineData("""{"inputs": [[0.000000000000000000000000123, 1.7976931348623157e308, 4.9e-324, 2.2250738585072014e-308]]}""")]
    [InlineData("""{"inputs": [[9007199254740993, 9007199254740993.0, 0.1, 0.30000000000000004, 123456789012345678901234567890e-40]]}""")]
    [InlineData(" { \"inputs\" : [ [ 1.5 , 2.5 ] ,\r\n\t[ 3 , 4 ] ] } ")]
    public void A_canonical_body_scans_as_the_document_reader_reads_it(string json) => AssertReadsAsTheDocumentReader(json);

    [Fact]
    public void Random_numbers_of_every_form_scan_to_the_same_bits()
    {
        var random = new Random(12);
        for (var body = 0; body < 300; body++)
        {
            var row = Enumerable.Range(0, 1 + random.Next(40)).Select(_ => Literal(random));
            AssertReadsAsTheDocumentReader($$"""{"inputs": [[{{string.Join(", ", row)}}]]}""");
        }
    }

    /// <summary>A JSON number: sign, integer digits (0 or no leading zero), maybe a fraction, maybe an exponent.</summary>
    private static string Literal(Random random)
    {
        var text = new StringBuilder(random.Next(4) == 0 ? "-" : "");
        var integerDigits = random.Next(4) == 0 ? 1 + random.Next(24) : 1 + random.Next(3);
        text.Append(random.Next(5) == 0 ? "0" : string.Concat(Enumerable.Range(0, integerDigits).Select(i => i == 0 ? random.Next(1, 10) : random.Next(10))));
        if (random.Next(3) > 0)
        {
            text.Append('.').Append(random.Next(3) == 0 ? new string('0', random.Next(6)) : "");
            text.Append(string.Concat(Enumerable.Range(0, 1 + random.Next(random.Next(3) == 0 ? 25 : 8)).Select(_ => random.Next(10))));
        }

        if (random.Next(4) == 0)
        {
            // Down to zero through the subnormals; up only as far as stays finite (a value that is not is refused).
            var sign = new[] { "", "+", "-" }[random.Next(3)];
            text.Append(random.Next(2) == 0 ? 'e' : 'E').Append(sign);
            text.Append(random.Next(random.Next(3) == 0 ? (sign == "-" ? 345 : 280) : 30).ToString(CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    [Theory]
    [InlineData("01")]
    [InlineData("-01.5")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("+1")]
    [InlineData("1e")]
    [InlineData("1e+")]
    [InlineData("-")]
    [InlineData("--1")]
    [InlineData("1.e3")]
    [InlineData("0x10")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    [InlineData("1 2")]
    [InlineData("1,")]
    [InlineData("\"1\"")]
    [InlineData("true")]
    [InlineData("null")]
    public void A_literal_json_does_not_allow_or_a_value_not_finite_is_not_scanned(string literal)
    {
        Assert.Null(CanonicalRows.TryScan(Encoding.UTF8.GetBytes($$"""{"inputs": [[1, {{literal}}]]}"""), Limits));
    }

    [Theory]
    [InlineData("""{"inputs": [[1]], "version": 2}""")]
    [InlineData("""{"version": 2, "inputs": [[1]]}""")]
    [InlineData("""{"inputs": {"a": [[1]]}}""")]
    [InlineData("""{"inputs": [[1, 2], [3]]}""")]
    [InlineData("""{"inputs": [[[1]]]}""")]
    [InlineData("""{"inputs": [[1], 2]}""")]
    [InlineData("""{"inputs": [1, [2]]}""")]
    [InlineData("""{"inputs": []}""")]
    [InlineData("""{"inputs": [[]]}""")]
    [InlineData("""{"inputs": [[1]]} {}""")]
    [InlineData("""{"inputs": [[1]],}""")]
    [InlineData("""{"inputs": [[1]]""")]
    [InlineData("""{"inputs": [[1],]}""")]
    [InlineData("""{"inputs": [[1,]]}""")]
    [InlineData("""{"input\u0073": [[1]]}""")]
    [InlineData("""{"inputsx": [[1]]}""")]
    [InlineData("""{inputs: [[1]]}""")]
    [InlineData("""[[1]]""")]
    [InlineData("")]
    public void Any_other_body_is_left_to_the_reader(string json)
    {
        Assert.Null(CanonicalRows.TryScan(Encoding.UTF8.GetBytes(json), Limits));
    }

    [Fact]
    public void A_body_past_the_limits_is_left_to_the_reader_which_refuses_it_by_name()
    {
        var limits = new ApiLimits { MaxPredictRows = 2, MaxPredictElements = 4 };

        Assert.Null(CanonicalRows.TryScan("""{"inputs": [[1], [2], [3]]}"""u8, limits));
        Assert.Null(CanonicalRows.TryScan("""{"inputs": [[1, 2, 3, 4, 5]]}"""u8, limits));
        Assert.NotNull(CanonicalRows.TryScan("""{"inputs": [[1, 2], [3, 4]]}"""u8, limits));
    }
}
