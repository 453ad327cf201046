using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Amazon.S3.Model;
using Parquet;
using OrleansML.Scoring;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Datasets;

public sealed class ParquetScoringOutputTests(ParquetImportFixture lake) : IClassFixture<ParquetImportFixture>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private HttpClient Http => lake.Client;

    private async Task PrepareAsync(string dataset, string model)
    {
        var input = Path.Combine(lake.Lake.Path, $"{dataset}-files");
        Directory.CreateDirectory(input);
        await File.WriteAllBytesAsync(Path.Combine(input, "part-00000.parquet"), await ParquetFiles.OptDigitsBytesAsync(1000, 7, 2500));
        var imported = await Http.PostAsJsonAsync($"/api/datasets/{dataset}/import", new { url = $"file://{input}/", label = "Class" });
        Assert.True(imported.StatusCode == HttpStatusCode.Created, await imported.Content.ReadAsStringAsync());
        var created = await Http.PostAsJsonAsync("/api/models", new { name = model, architecture = new { type = "mlp", inputs = 64, hidden = new[] { 8 }, outputs = 10 }, seed = 1 });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
    }

    private static async Task<(long[] Ids, int[] Classes, int RowGroups)> ReadAsync(byte[] file)
    {
        await using var reader = await ParquetReader.CreateAsync(new MemoryStream(file));
        var fields = reader.Schema.GetDataFields();
        Assert.Equal(["id", .. Enumerable.Range(0, 10).Select(k => $"p{k}"), "class"], fields.Select(f => f.Name));
        var (ids, classes) = (new List<long>(), new List<int>());
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var (id, @class) = (new long[group.RowCount], new int[group.RowCount]);
            await group.ReadAsync<long>(fields[0], id.AsMemory(), null, CancellationToken.None);
            await group.ReadAsync<int>(fields[^1], @class.AsMemory(), null, CancellationToken.None);
            ids.AddRange(id);
            classes.AddRange(@class);
        }

        return ([.. ids], [.. classes], reader.RowGroupCount);
    }

    private async Task ScoreAsync(string name, string outputUrl)
    {
        await PrepareAsync($"{name}-input", $"{name}-model");
        var start = await Http.PostAsJsonAsync("/api/scoring/jobs", new
        {
            model = $"{name}-model", version = 1, dataset = $"{name}-input", outputDataset = $"{name}-output", partitions = 3,
            outputFormat = "parquet", outputUrl,
        });
        Assert.True(start.StatusCode == HttpStatusCode.Accepted, await start.Content.ReadAsStringAsync());
        var status = await Poll.UntilAsync(() => Http.GetFromJsonAsync<ScoringJobStatus>(start.Headers.Location!, Json), s => s.IsFinished, s => s.IsFinished, TimeSpan.FromMinutes(2), s => $"{s.State}");
        Assert.True(status.State == ScoringState.Succeeded, status.FailureReason);
    }

    /// <summary>_SUCCESS and three unit files (names relative to the output URL) with every input id once, each classed as the output dataset classes it.</summary>
    private async Task AssertOutputAsync(string name, IReadOnlyDictionary<string, byte[]> written)
    {
        Assert.Equal(["_SUCCESS", "part-00000.parquet", "part-00001.parquet", "part-00002.parquet"], written.Keys.Order(StringComparer.Ordinal));
        var files = await Task.WhenAll(written.Where(f => f.Key.EndsWith(".parquet", StringComparison.Ordinal)).Select(f => ReadAsync(f.Value)));
        Assert.Equal(Enumerable.Range(0, 3823).Select(i => (long)i), files.SelectMany(f => f.Ids).Order());
        Assert.All(files, f => Assert.True(f.RowGroups >= 2, "one row group per storage partition of the unit"));
        var byId = (await Http.GetStringAsync($"/api/datasets/{name}-output/content")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => l.Split(',')).ToDictionary(c => long.Parse(c[0]), c => int.Parse(c[^1]));
        foreach (var file in files)
        {
            for (var i = 0; i < file.Ids.Length; i++)
            {
                Assert.Equal(byId[file.Ids[i]], file.Classes[i]);
            }
        }
    }

    [Fact]
    public async Task Scoring_with_parquet_output_to_a_folder_writes_one_file_per_unit_that_reads_back_with_every_id_once()
    {
        var output = Path.Combine(lake.Lake.Path, "scored");

        await ScoreAsync("score-file", $"file://{output}/");

        // Every staged file under _temporary was moved or deleted (Spark skips _-prefixed folders anyway).
        var written = Directory.GetFiles(output, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(output, f), File.ReadAllBytes);
        await AssertOutputAsync("score-file", written);
    }

    [Fact]
    public async Task Scoring_with_parquet_output_to_an_S3_prefix_writes_one_object_per_unit_that_reads_back_with_every_id_once()
    {
        const string prefix = "scores/2026-12-01/";

        await ScoreAsync("score-s3", $"s3://{ParquetImportFixture.Bucket}/{prefix}");

        using var s3 = lake.S3.Client();
        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = ParquetImportFixture.Bucket, Prefix = prefix });
        var written = new Dictionary<string, byte[]>();
        foreach (var item in listed.S3Objects ?? [])
        {
            using var response = await s3.GetObjectAsync(ParquetImportFixture.Bucket, item.Key);
            using var bytes = new MemoryStream();
            await response.ResponseStream.CopyToAsync(bytes);
            written[item.Key[prefix.Length..]] = bytes.ToArray();
        }

        await AssertOutputAsync("score-s3", written);
    }

    public static TheoryData<string, string[]> BadOutputs => new()
    {
        { "no-url", ["outputFormat parquet needs an outputUrl"] },
        { "outside-roots", ["file:///etc/scored/", "FileRoots"] },
        { "glob", ["has a glob"] },
        { "url-without-format", ["outputUrl goes with outputFormat parquet"] },
        { "bad-format", ["outputFormat"] },
    };

    [Theory]
    [MemberData(nameof(BadOutputs))]
    public async Task Bad_parquet_output_is_400_naming_it_and_reserves_nothing(string @case, string[] expected)
    {
        await PrepareAsync($"bad-out-{@case}", $"bad-out-{@case}-model");
        var output = Path.Combine(lake.Lake.Path, $"bad-out-{@case}");
        var body = new Dictionary<string, object>
        {
            ["model"] = $"bad-out-{@case}-model", ["version"] = 1, ["dataset"] = $"bad-out-{@case}", ["outputDataset"] = $"bad-out-{@case}-scored",
        };
        switch (@case)
        {
            case "no-url": body["outputFormat"] = "parquet"; break;
            case "outside-roots": (body["outputFormat"], body["outputUrl"]) = ("parquet", "file:///etc/scored/"); break;
            case "glob": (body["outputFormat"], body["outputUrl"]) = ("parquet", $"file://{output}/*.parquet"); break;
            case "url-without-format": body["outputUrl"] = $"file://{output}/"; break;
            default: (body["outputFormat"], body["outputUrl"]) = ("orc", $"file://{output}/"); break;
        }

        var response = await Http.PostAsJsonAsync("/api/scoring/jobs", body);

        var problem = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{@case}: {response.StatusCode} {problem}");
        foreach (var part in expected)
        {
            Assert.True(problem.Contains(part, StringComparison.Ordinal), $"{@case}: '{part}' not in {problem}");
        }

        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/api/datasets/bad-out-{@case}-scored")).StatusCode);
        Assert.False(Directory.Exists(output), $"{@case}: {output} was created");
        // The name is not left reserved: a good job may take it.
        var good = await Http.PostAsJsonAsync("/api/scoring/jobs", new { model = $"bad-out-{@case}-model", version = 1, dataset = $"bad-out-{@case}", outputDataset = $"bad-out-{@case}-scored" });
        Assert.Equal(HttpStatusCode.Accepted, good.StatusCode);
    }
}
