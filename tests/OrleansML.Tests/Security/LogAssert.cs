using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Security;

public static class LogAssert
{
    /// <summary>Fails when any secret appears anywhere in what the processes printed.</summary>
    public static void NoSecretIn(IEnumerable<PlatformProcess> processes, IEnumerable<string> secrets)
    {
        foreach (var process in processes)
        {
            NoSecretIn($"the process on port {process.HttpPort}", process.FullOutput, secrets);
        }
    }

    /// <summary>The message names the source and the secret's length, never the secret: a test log is a log too.</summary>
    public static void NoSecretIn(string source, string output, IEnumerable<string> secrets)
    {
        foreach (var secret in secrets)
        {
            Assert.False(output.Contains(secret, StringComparison.Ordinal), $"a secret of {secret.Length} characters appears in the output of {source}");
        }
    }
}
