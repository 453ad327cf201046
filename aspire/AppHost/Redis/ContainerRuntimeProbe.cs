using System.Diagnostics;

namespace Aspire.Hosting;

/// <summary>Asks the container runtime's client whether its engine answers (<c>docker info</c>), briefly.</summary>
internal static class ContainerRuntimeProbe
{
    private const int TimeoutMilliseconds = 3000;

    public static bool IsHealthy(string runtime)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(runtime, "info")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (process is null)
            {
                return false;
            }

            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeoutMilliseconds))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no client installed
        }
    }
}
