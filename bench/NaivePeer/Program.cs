using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;

// The peer the serving benchmarks compare OrleansML with: what a team would write by hand in ASP.NET Core to serve
// a TorchScript file (or a 1024-4096-4096-10 MLP), or an ONNX file with ONNX Runtime (one session, its default
// options): deserialise {"inputs": [[...]]}, run the forward pass on the request's thread, serialise
// {"outputs": [[...]]}. No batching, no registry, nothing else.
//   dotnet bench/NaivePeer/bin/Release/net10.0/linux-x64/OrleansML.NaivePeer.dll --urls http://127.0.0.1:5090 <model.pt | model.onnx | heavy>
// With "floor" instead of a model it is the HTTP floor: it reads the body and answers a fixed 10-float JSON output, no
// parsing and no model, so a row against it says what Kestrel and the kernel alone cost per request on this machine.
if (args.Contains("floor"))
{
    var floor = WebApplication.CreateSlimBuilder(args).Build();
    var answer = "{\"outputs\":[[0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1.0]]}"u8.ToArray();
    floor.MapPost("/predict", async (HttpContext context) =>
    {
        while (true)
        {
            var read = await context.Request.BodyReader.ReadAsync();
            context.Request.BodyReader.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                break;
            }
        }
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = answer.Length;
        await context.Response.Body.WriteAsync(answer);
    });
    floor.Run();
    return;
}

var model = args.FirstOrDefault(a => a.EndsWith(".pt", StringComparison.Ordinal) || a.EndsWith(".dat", StringComparison.Ordinal)
    || a.EndsWith(".onnx", StringComparison.Ordinal) || a == "heavy")
    ?? throw new ArgumentException("give a TorchScript file, an ONNX file or 'heavy'");
var forward = model.EndsWith(".onnx", StringComparison.Ordinal) ? OnnxForward(model) : TorchForward(model);

var app = WebApplication.CreateSlimBuilder(args).Build();
app.MapPost("/predict", async (HttpRequest request) =>
{
    var body = await JsonSerializer.DeserializeAsync<PredictBody>(request.Body, JsonSerializerOptions.Web);
    var rows = body!.Inputs;
    var (values, width) = forward(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length]);
    return Results.Json(new PredictAnswer(Enumerable.Range(0, rows.Length).Select(r => values[(r * width)..((r + 1) * width)]).ToArray()));
});
app.Run();

static Func<float[], long[], (float[] Values, int Width)> TorchForward(string model)
{
    nn.Module module;
    Func<Tensor, Tensor> call;
    if (model == "heavy")
    {
        var mlp = nn.Sequential(nn.Linear(1024, 4096), nn.ReLU(), nn.Linear(4096, 4096), nn.ReLU(), nn.Linear(4096, 10));
        (module, call) = (mlp, mlp.call);
    }
    else
    {
        var script = jit.load<Tensor, Tensor>(model);
        (module, call) = (script, script.call);
    }

    module.eval();
    return (values, shape) =>
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var output = call(tensor(values, shape));
        return (output.data<float>().ToArray(), (int)output.shape[1]);
    };
}

static Func<float[], long[], (float[] Values, int Width)> OnnxForward(string model)
{
    var session = new InferenceSession(model);
    var (input, output) = (session.InputNames[0], session.OutputNames[0]);
    var run = new RunOptions();
    return (values, shape) =>
    {
        using var value = OrtValue.CreateTensorValueFromMemory(values, shape);
        using var results = session.Run(run, [input], [value], [output]);
        var result = results[0];
        return (result.GetTensorDataAsSpan<float>().ToArray(), (int)result.GetTensorTypeAndShape().Shape[1]);
    };
}

internal sealed record PredictBody(float[][] Inputs);

internal sealed record PredictAnswer(float[][] Outputs);
