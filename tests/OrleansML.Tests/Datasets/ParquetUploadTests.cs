using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using OrleansML.Datasets;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Datasets;

public sealed class ParquetUploadTests(EmbeddedApiFixture api) : IClassFixture<EmbeddedApiFixture>
{
    private HttpClient Http => api.Client;

    private static ByteArrayContent Body(byte[] bytes, string mediaType) => new(bytes) { Headers = { ContentType = new MediaTypeHeaderValue(mediaType) } };

    private async Task<DatasetInfo> UploadAsync(string name, HttpContent content)
    {
        var response = await Http.PostAsync($"/api/datasets/{name}?label=Class", content);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<DatasetInfo>())!;
    }

    [Fact]
    public async Task Parquet_upload_with_uneven_row_groups_stores_the_same_rows_and_values_as_its_CSV_twin()
    {
        var csv = await UploadAsync("twin-csv", new StreamContent(File.OpenRead(Fixtures.OptDigitsTrain)) { Headers = { { "Content-Type", "text/csv" } } });
        // application/octet-stream: the format is told by the file's PAR1 magic.
        var parquet = await UploadAsync("twin-parquet", Body(await ParquetFiles.OptDigitsBytesAsync(1000, 7, 2500), "application/octet-stream"));

        Assert.Equal((csv.Rows, csv.Label, csv.PartitionCount), (parquet.Rows, parquet.Label, parquet.PartitionCount));
        Assert.Equal(csv.Columns, parquet.Columns);
        Assert.Equal(csv.LabelClasses, parquet.LabelClasses);
        Assert.Equal(3823, parquet.Rows);
        Assert.Equal(await Http.GetStringAsync("/api/datasets/twin-csv/content"), await Http.GetStringAsync("/api/datasets/twin-parquet/content"));
    }

    [Fact]
    public async Task Parquet_upload_as_a_multipart_file_is_told_by_its_file_name_and_stored_like_the_raw_body()
    {
        var bytes = await ParquetFiles.OptDigitsBytesAsync(3000);
        using var form = new MultipartFormDataContent { { Body(bytes, "application/octet-stream"), "file", "digits.parquet" } };
        var multipart = await UploadAsync("multipart-parquet", form);
        var raw = await UploadAsync("raw-parquet", Body(bytes, "application/vnd.apache.parquet"));

        Assert.Equal(3823, multipart.Rows);
        Assert.Equal(await Http.GetStringAsync("/api/datasets/raw-parquet/content"), await Http.GetStringAsync("/api/datasets/multipart-parquet/content"));
    }

    public static TheoryData<string, string, string[]> BadFiles => new()
    {
        { "null", "a null in a feature", ["column 'Block 1'", "row group 2", "null"] },
        { "text", "a text column", ["column 'Block 9'", "is text", "not numeric"] },
        { "nolabel", "no label column", ["label column 'Class'"] },
        { "cut", "a file cut short", ["not a readable Parquet file"] },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task Bad_Parquet_upload_is_400_naming_what_is_wrong_and_stores_nothing(string @case, string description, string[] expected)
    {
        var (header, rows) = ParquetFiles.OptDigits(Fixtures.OptDigitsTrain);
        var flaws = @case switch
        {
            "null" => new ParquetFiles.Flaws(NullAtRow: 3500),
            "text" => new ParquetFiles.Flaws(TextColumn: "Block 9"),
            "nolabel" => new ParquetFiles.Flaws(Drop: "Class"),
            _ => null,
        };
        var bytes = await ParquetFiles.BytesAsync(header, rows, [1000, 2000, 823], flaws);
        if (@case == "cut")
        {
            bytes = bytes[..(bytes.Length / 2)];
        }

        var name = $"bad-parquet-{@case}";
        var response = await Http.PostAsync($"/api/datasets/{name}?label=Class", Body(bytes, "application/vnd.apache.parquet"));

        var problem = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{description}: {response.StatusCode} {problem}");
        foreach (var part in expected)
        {
            Assert.Contains(part, problem);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/api/datasets/{name}")).StatusCode);
        var folder = Path.Combine(api.DataDirectory, "artifacts", "datasets", name);
        Assert.False(Directory.Exists(folder) && Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Any(), $"{description}: partitions left in {folder}");
    }
}
