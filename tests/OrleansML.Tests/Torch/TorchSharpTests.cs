using TorchSharp;
using static TorchSharp.torch;

namespace OrleansML.Tests.Torch;

public sealed class TorchSharpTests
{
    [Fact]
    public void Forward_and_backward_run_in_the_test_host()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        var model = nn.Sequential(("fc1", nn.Linear(4, 8)), ("relu", nn.ReLU()), ("fc2", nn.Linear(8, 1)));
        var input = randn(16, 4);
        var target = input.sum(1, keepdim: true);
        var optimizer = optim.SGD(model.parameters(), 0.05);

        var first = nn.functional.mse_loss(model.forward(input), target);
        float last = first.item<float>();
        for (var step = 0; step < 50; step++)
        {
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(model.forward(input), target);
            loss.backward();
            optimizer.step();
            last = loss.item<float>();
        }

        Assert.Equal(new long[] { 16, 1 }, model.forward(input).shape);
        Assert.All(model.parameters(), p => Assert.NotNull(p.grad));
        Assert.True(last < first.item<float>() / 4, $"loss went from {first.item<float>()} to {last}");
    }
}
