using System.Net.Http.Headers;
using System.Xml.Linq;

namespace OrleansML.Tests.Infrastructure;

/// <summary>An IAM user's access key on a <see cref="MotoServer"/>.</summary>
public sealed record MotoAccessKey(string User, string Id, string Secret);

/// <summary>
/// IAM users, their policies and access keys on a <see cref="MotoServer"/>, and moto's request authentication, which
/// is off by default: <c>POST /moto-api/reset-auth</c> with the number of requests to let through unchecked (0 checks
/// every request's signature and the IAM policies of its key). IAM is called with its query API: moto routes a
/// request by the service named in its Authorization header's scope, so the setup calls carry one, and they are made
/// while authentication is off (moto checks no signature then).
/// </summary>
public static class MotoIam
{
    private const string IamScope = "AWS4-HMAC-SHA256 Credential=setup/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=00";

    /// <summary>Creates a user with an inline policy and an access key; call it before authentication is on.</summary>
    public static async Task<MotoAccessKey> CreateUserAsync(this MotoServer moto, string user, string policyJson)
    {
        await moto.IamAsync(new() { ["Action"] = "CreateUser", ["UserName"] = user });
        await moto.IamAsync(new() { ["Action"] = "PutUserPolicy", ["UserName"] = user, ["PolicyName"] = $"{user}-policy", ["PolicyDocument"] = policyJson });
        var created = await moto.IamAsync(new() { ["Action"] = "CreateAccessKey", ["UserName"] = user });
        string Field(string name) => created.Descendants().Single(e => e.Name.LocalName == name).Value;
        return new MotoAccessKey(user, Field("AccessKeyId"), Field("SecretAccessKey"));
    }

    /// <summary>A policy that allows every S3 action on <paramref name="bucket"/> and its objects, and nothing else.</summary>
    public static string S3PolicyFor(string bucket) =>
        $$"""{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": ["arn:aws:s3:::{{bucket}}", "arn:aws:s3:::{{bucket}}/*"]}]}""";

    /// <summary>A policy that allows everything (the test's own inspecting client).</summary>
    public const string AdministratorPolicy = """{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}""";

    /// <summary>Turns moto's checking of every request's signature and IAM policies on or off.</summary>
    public static async Task RequireAuthenticationAsync(this MotoServer moto, bool required)
    {
        using var http = new HttpClient();
        var response = await http.PostAsync($"{moto.ServiceUrl}/moto-api/reset-auth", new StringContent(required ? "0" : "inf"));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// Deletes an access key, as an operator revoking it or a credential expiring: requests signed with it are refused
    /// from then on. Authentication is off for the one IAM call (this helper does not sign) and on again after it.
    /// </summary>
    public static async Task DeleteAccessKeyAsync(this MotoServer moto, MotoAccessKey key)
    {
        await moto.RequireAuthenticationAsync(false);
        try
        {
            await moto.IamAsync(new() { ["Action"] = "DeleteAccessKey", ["UserName"] = key.User, ["AccessKeyId"] = key.Id });
        }
        finally
        {
            await moto.RequireAuthenticationAsync(true);
        }
    }

    private static async Task<XDocument> IamAsync(this MotoServer moto, Dictionary<string, string> parameters)
    {
        parameters["Version"] = "2010-05-08";
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{moto.ServiceUrl}/") { Content = new FormUrlEncodedContent(parameters) };
        request.Headers.TryAddWithoutValidation("Authorization", IamScope);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"IAM {parameters["Action"]}: {(int)response.StatusCode} {body}");
        return XDocument.Parse(body);
    }
}
