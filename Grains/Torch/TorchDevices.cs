using Microsoft.Extensions.Options;
using OrleansML.Hosting;
using TorchSharp;

namespace OrleansML.Torch;

/// <summary>
/// The torch devices this silo runs on, from its <c>OrleansML:Device</c> setting: <c>auto</c> takes CUDA when
/// TorchSharp reports it and the CPU otherwise; <c>cpu</c>, <c>cuda</c> and <c>cuda:N</c> are taken as given.
/// With several GPUs and <c>auto</c> or <c>cuda</c>, replicas and workers spread over all of them.
/// </summary>
public sealed class TorchDevices
{
    private readonly torch.Device[] _devices;

    public TorchDevices(IOptions<OrleansMLOptions> options)
    {
        _devices = Resolve(options.Value.Device);
        Default = _devices[0];
    }

    public torch.Device Default { get; }

    public IReadOnlyList<torch.Device> All => _devices;

    /// <summary>Spreads work item <paramref name="index"/> over the silo's devices.</summary>
    public torch.Device Pick(int index) => _devices[(int)((uint)index % (uint)_devices.Length)];

    public static torch.Device[] Resolve(string setting)
    {
        var value = setting.Trim().ToLowerInvariant();
        switch (value)
        {
            case "auto" when torch.cuda.is_available():
            case "cuda":
                if (!torch.cuda.is_available())
                {
                    throw new InvalidOperationException("OrleansML:Device is 'cuda' but TorchSharp reports no CUDA device.");
                }

                return Enumerable.Range(0, torch.cuda.device_count()).Select(i => torch.device(DeviceType.CUDA, i)).ToArray();
            case "auto":
            case "cpu":
                return [torch.CPU];
            default:
                if (value.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(value[5..], out var index) && index >= 0)
                {
                    if (index >= torch.cuda.device_count())
                    {
                        throw new InvalidOperationException($"OrleansML:Device is '{setting}' but only {torch.cuda.device_count()} CUDA device(s) exist.");
                    }

                    return [torch.device(DeviceType.CUDA, index)];
                }

                throw new InvalidOperationException($"OrleansML:Device '{setting}' is not one of auto, cpu, cuda, cuda:N.");
        }
    }
}
