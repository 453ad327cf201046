using System.IO.Compression;
using System.Net;
using System.Text;
using OrleansML.Serving;
using OrleansML.Tests.Api;
using OrleansML.Torch;
using TorchSharp;
using TorchSharp.PyBridge;
using static OrleansML.Tests.Api.ApiFixture;

namespace OrleansML.Tests.Torch;

/// <summary>Weights trained in PyTorch (a state_dict .pt, or safetensors) uploaded for a native architecture.</summary>
public sealed class PyTorchWeightsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string Mlp = """{"type":"mlp","inputs":4,"hidden":[8],"outputs":3}""";

    private static readonly float[] Row = [0.5f, -1, 2, 0.25f];

    private HttpClient Client => api.Client;

    private async Task<HttpResponseMessage> UploadAsync(string model, byte[] artifact, string architecture = Mlp)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(artifact), "artifact", "weights.bin");
        form.Add(new StringContent(architecture, Encoding.UTF8, "application/json"), "architecture");
        return await Client.PostAsync($"/api/models/{model}/versions", form);
    }

    /// <summary>The MLP with weights from <paramref name="seed"/>, and what it answers for <see cref="Row"/>.</summary>
    private static (torch.nn.Module Module, float[] Expected) Reference(int seed, int hidden = 8)
    {
        torch.manual_seed(seed);
        var module = ArchitectureBuilder.Build(new ArchitectureSpec("mlp", 4, [hidden], 3));
        module.eval();
        using var noGrad = torch.no_grad();
        using var input = torch.tensor(Row).reshape(1, 4);
        using var output = ((torch.nn.Module<torch.Tensor, torch.Tensor>)module).call(input);
        return (module, output.data<float>().ToArray());
    }

    /// <summary>A safetensors file written by hand: an 8-byte header length, the JSON header, the raw FP32 data.</summary>
    private static byte[] Safetensors(torch.nn.Module module)
    {
        var header = new StringBuilder("{");
        var data = new MemoryStream();
        foreach (var (name, tensor) in module.state_dict())
        {
            var bytes = tensor.contiguous().bytes.ToArray();
            header.Append(header.Length > 1 ? "," : "").Append($"\"{name}\":{{\"dtype\":\"F32\",\"shape\":[{string.Join(",", tensor.shape)}],\"data_offsets\":[{data.Length},{data.Length + bytes.Length}]}}");
            data.Write(bytes);
        }

        var json = Encoding.UTF8.GetBytes(header.Append('}').ToString());
        return [.. BitConverter.GetBytes((ulong)json.Length), .. json, .. data.ToArray()];
    }

    private async Task<float[]> PredictAsync(string model)
    {
        var response = await Client.PostAsync($"/v2/models/{model}/infer", V2Binary.Request([new("input", "FP32", [1, 4], V2Binary.Floats(Row))]));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return V2Binary.ToFloats((await V2Binary.ReadAsync(response)).Outputs.Values.Single());
    }

    [Fact]
    public async Task A_safetensors_file_loads_into_a_native_MLP_and_predicts_what_its_weights_imply()
    {
        var (module, expected) = Reference(seed: 11);

        var response = await UploadAsync("py-safetensors", Safetensors(module));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(expected, await PredictAsync("py-safetensors"), new Tolerance());
    }

    [Fact]
    public async Task A_pytorch_state_dict_loads_into_a_native_MLP_and_predicts_what_its_weights_imply()
    {
        var (module, expected) = Reference(seed: 12);
        var stateDict = new MemoryStream();
        module.save_py(stateDict, leaveOpen: true);

        var response = await UploadAsync("py-state-dict", stateDict.ToArray());

        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        Assert.Equal(expected, await PredictAsync("py-state-dict"), new Tolerance());
    }

    [Fact]
    public async Task Weights_of_another_shape_are_refused_listing_each_mis_shaped_parameter_and_nothing_is_stored()
    {
        var (wider, _) = Reference(seed: 13, hidden: 16);

        var response = await UploadAsync("py-mis-shaped", Safetensors(wider));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("[16, 4]", body);
        Assert.Contains("[8, 4]", body);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/models/py-mis-shaped")).StatusCode);
    }

    [Fact]
    public async Task A_pt_file_that_pickles_something_other_than_a_tensor_dictionary_is_refused_and_nothing_is_stored()
    {
        // torch.save([1, 2]): a protocol-2 pickle of a list, in the archive layout torch.save writes.
        var archive = new MemoryStream();
        using (var zip = new ZipArchive(archive, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var pickle = zip.CreateEntry("archive/data.pkl").Open())
            {
                pickle.Write([0x80, 0x02, (byte)']', (byte)'q', 0, (byte)'(', (byte)'K', 1, (byte)'K', 2, (byte)'e', (byte)'.']);
            }

            using var version = zip.CreateEntry("archive/version").Open();
            version.Write("3\n"u8);
        }

        var response = await UploadAsync("py-not-a-dict", archive.ToArray());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("state_dict", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/models/py-not-a-dict")).StatusCode);
    }

    private sealed class Tolerance : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= 1e-5f + 1e-5f * Math.Abs(x);

        public int GetHashCode(float value) => 0;
    }
}
