using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OrleansML.Api.Security;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Security;

/// <summary>
/// The embedded API in the Production environment with four configured API keys (admin, predict, train, and
/// predict+train) and HMAC-signed JWT bearer tokens, over a small known state: model <c>m</c> (labelled stable),
/// model <c>t</c> for training, dataset <c>d</c>, a training and a scoring job, and a folder of Parquet files
/// (<see cref="Lake"/>) that dataset imports may read.
/// </summary>
public sealed class SecuredApiFixture : IAsyncLifetime
{
    public const string AdminKey = "oml_test-admin-0123456789abcdefghijklmnopqrstuv";
    public const string PredictKey = "oml_test-predict-0123456789abcdefghijklmnopqrst";
    public const string TrainKey = "oml_test-train-0123456789abcdefghijklmnopqrstuvw";
    public const string PredictTrainKey = "oml_test-predict-train-0123456789abcdefghijklmn";
    public const string JwtSigningKey = "orleansml-tests-jwt-hmac-signing-key-0123456789";
    public const string JwtIssuer = "https://issuer.orleansml.test";
    public const string JwtAudience = "orleansml";

    private readonly TempDirectory _data = new();

    private readonly TempDirectory _lake = new();

    /// <summary>A folder imports may read, holding <c>part-00000.parquet</c> (columns a, b, Class).</summary>
    public string Lake => _lake.Path;

    public ApiFactory Factory { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    public string TrainingJob { get; private set; } = "";

    public string ScoringJob { get; private set; } = "";

    public static IReadOnlyDictionary<string, string> Settings(IReadOnlyDictionary<string, string>? extra = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["OrleansML:Auth:Jwt:SigningKey"] = JwtSigningKey,
            ["OrleansML:Auth:Jwt:Issuer"] = JwtIssuer,
            ["OrleansML:Auth:Jwt:Audience"] = JwtAudience,
        };
        var keys = new (string Name, string Secret, string[] Scopes)[]
        {
            ("admin", AdminKey, [Scopes.Admin]),
            ("predict", PredictKey, [Scopes.Predict]),
            ("train", TrainKey, [Scopes.Train]),
            ("predict-train", PredictTrainKey, [Scopes.Predict, Scopes.Train]),
        };
        for (var i = 0; i < keys.Length; i++)
        {
            settings[$"OrleansML:Auth:ApiKeys:{i}:Name"] = keys[i].Name;
            settings[$"OrleansML:Auth:ApiKeys:{i}:Sha256"] = ApiKeySecret.Hash(keys[i].Secret);
            for (var s = 0; s < keys[i].Scopes.Length; s++)
            {
                settings[$"OrleansML:Auth:ApiKeys:{i}:Scopes:{s}"] = keys[i].Scopes[s];
            }
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        return settings;
    }

    public async Task InitializeAsync()
    {
        await File.WriteAllBytesAsync(Path.Combine(Lake, "part-00000.parquet"),
            await Datasets.ParquetFiles.BytesAsync(["a", "b", "Class"], Enumerable.Range(0, 12).Select(i => new float[] { i % 5, i % 3, i % 3 }).ToArray(), [12]));
        Factory = new ApiFactory(_data.Path, "Production", Settings(new Dictionary<string, string> { ["OrleansML:Datasets:Import:FileRoots:0"] = Lake }));
        Admin = WithKey(AdminKey);
        await CreateModelAsync(Admin, "m");
        await CreateModelAsync(Admin, "t");
        (await Admin.PutAsJsonAsync("/api/models/m/labels/stable", new { version = 1 })).EnsureSuccessStatusCode();
        (await Admin.PostAsync("/api/datasets/d?label=Class", Csv(rows: 24))).EnsureSuccessStatusCode();
        TrainingJob = await StartAsync(Admin, "/api/training/jobs", TrainingJobBody());
        ScoringJob = await StartAsync(Admin, "/api/scoring/jobs", new { model = "m", dataset = "d", outputDataset = "scored" });
    }

    public HttpClient Anonymous() => Factory.CreateClient();

    public HttpClient WithKey(string key)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key);
        return client;
    }

    public HttpClient WithToken(string token)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A JWT as an identity provider would issue it for a client granted <paramref name="scope"/> (space separated).</summary>
    public static string Token(string scope, string subject = "service-a", TimeSpan? lifetime = null, string signingKey = JwtSigningKey, string audience = JwtAudience)
    {
        var now = DateTime.UtcNow;
        var expires = now + (lifetime ?? TimeSpan.FromMinutes(5));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim("scope", scope)]),
            Issuer = JwtIssuer,
            Audience = audience,
            IssuedAt = expires < now ? expires.AddMinutes(-10) : now,
            NotBefore = expires < now ? expires.AddMinutes(-10) : now,
            Expires = expires,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(signingKey)), SecurityAlgorithms.HmacSha256),
        });
    }

    public static Task CreateModelAsync(HttpClient client, string name) =>
        EnsureAsync(client.PostAsJsonAsync("/api/models", new { name, architecture = new { type = "mlp", inputs = 4, hidden = new[] { 8 }, outputs = 3 }, seed = 1 }));

    public static object TrainingJobBody(int epochs = 1) =>
        new { model = "t", dataset = "d", epochs, batchSize = 8, learningRate = 0.01, optimizer = "sgd", seed = 1 };

    /// <summary>A small dataset: four numeric features and an integer class 0-2.</summary>
    public static StringContent Csv(int rows)
    {
        var csv = new StringBuilder("a,b,c,e,Class\n");
        for (var i = 0; i < rows; i++)
        {
            csv.Append($"{i % 5},{i % 3},{i % 7},{i % 2},{i % 3}\n");
        }

        return new StringContent(csv.ToString(), Encoding.UTF8, "text/csv");
    }

    public static async Task<string> StartAsync(HttpClient client, string path, object body)
    {
        var response = await EnsureAsync(client.PostAsJsonAsync(path, body));
        return response.Headers.Location!.ToString().Split('/')[^1];
    }

    public static async Task<HttpResponseMessage> EnsureAsync(Task<HttpResponseMessage> call)
    {
        var response = await call;
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response;
    }

    public async Task DisposeAsync()
    {
        Admin.Dispose();
        await Factory.DisposeAsync();
        _data.Dispose();
        _lake.Dispose();
    }
}
