using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

// The peer the serving benchmark compares OrleansML with: what a team would write by hand in ASP.NET Core to serve
// a TorchScript file (or a 1024-4096-4096-10 MLP): deserialise {"inputs": [[...]]}, run the forward pass on the
// request's thread, serialise {"outputs": [[...]]}. No batching, no registry, nothing else.
//   dotnet bench/NaivePeer/bin/Release/net10.0/linux-x64/OrleansML.NaivePeer.dll --urls http://127.0.0.1:5090 <model.pt | heavy>
var model = args.FirstOrDefault(a => a.EndsWith(".pt", StringComparison.Ordinal) || a.EndsWith(".dat", StringComparison.Ordinal) || a == "heavy")
    ?? throw new ArgumentException("give a TorchScript file or 'heavy'");
nn.Module module;
Func<Tensor, Tensor> forward;
if (model == "heavy")
{
    var mlp = nn.Sequential(nn.Linear(1024, 4096), nn.ReLU(), nn.Linear(4096, 4096), nn.ReLU(), nn.Linear(4096, 10));
    (module, forward) = (mlp, mlp.call);
}
else
{
    var script = jit.load<Tensor, Tensor>(model);
    (module, forward) = (script, script.call);
}

module.eval();

var app = WebApplication.CreateSlimBuilder(args).Build();
app.MapPost("/predict", async (HttpRequest request) =>
{
    var body = await JsonSerializer.DeserializeAsync<PredictBody>(request.Body, JsonSerializerOptions.Web);
    var rows = body!.Inputs;
    using var scope = NewDisposeScope();
    using var noGrad = no_grad();
    var input = tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length]);
    var output = forward(input);
    var values = output.data<float>().ToArray();
    var width = (int)output.shape[1];
    return Results.Json(new PredictAnswer(Enumerable.Range(0, rows.Length).Select(r => values[(r * width)..((r + 1) * width)]).ToArray()));
});
app.Run();

internal sealed record PredictBody(float[][] Inputs);

internal sealed record PredictAnswer(float[][] Outputs);
