using System.Security.Cryptography;
using System.Text;

namespace OrleansML.Api.Security;

/// <summary>
/// API key secrets: 256 random bits, kept only as their SHA-256. A plain hash is enough (as for GitHub tokens)
/// because the secrets are random, not chosen by people, so there is nothing to guess from a dictionary.
/// </summary>
public static class ApiKeySecret
{
    public const string Prefix = "oml_";

    public static string Generate() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static bool IsHash(string value) => value.Length == 64 && value.All(char.IsAsciiHexDigit);

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
