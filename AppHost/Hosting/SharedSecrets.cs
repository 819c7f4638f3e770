using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;

namespace Chat.AppHost.Hosting;

/// <summary>
/// The secrets every project shares: the HMAC key for the gateway's identity headers and the default
/// app's HS256 JWT secret. Taken from configuration when set, otherwise generated once (32 random
/// bytes, base64url) and kept in <c>secrets.json</c> in the data directory so restarts keep them.
/// </summary>
public sealed class SharedSecrets
{
    public const string IdentitySigningKeyName = "Identity:SigningKey";
    public const string DefaultAppJwtSecretName = "Apps:Default:JwtSecret";
    public const string FileName = "secrets.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private SharedSecrets(string identitySigningKey, string defaultAppJwtSecret, string filePath, IReadOnlyList<string> generated, IReadOnlyList<string> configured)
    {
        IdentitySigningKey = identitySigningKey;
        DefaultAppJwtSecret = defaultAppJwtSecret;
        FilePath = filePath;
        Generated = generated;
        Configured = configured;
    }

    public string IdentitySigningKey { get; }

    public string DefaultAppJwtSecret { get; }

    /// <summary>Where generated secrets are kept (it may not exist when configuration gave both).</summary>
    public string FilePath { get; }

    /// <summary>Names generated during this load.</summary>
    public IReadOnlyList<string> Generated { get; }

    /// <summary>Names taken from configuration rather than the file.</summary>
    public IReadOnlyList<string> Configured { get; }

    /// <summary>Enough of a secret to tell two apart in a log, never enough to use.</summary>
    public static string Preview(string secret) => secret.Length <= 8 ? "…" : secret[..4] + "…";

    internal static SharedSecrets LoadOrCreate(IConfiguration configuration, string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        var stored = File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? [] : [];
        List<string> generated = [];
        List<string> configured = [];

        string Resolve(string name)
        {
            if (configuration[name] is { Length: > 0 } fromConfiguration)
            {
                configured.Add(name);
                return fromConfiguration;
            }

            if (stored[name]?.GetValue<string>() is { Length: > 0 } fromFile)
            {
                return fromFile;
            }

            var created = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
            stored[name] = created;
            generated.Add(name);
            return created;
        }

        var signingKey = Resolve(IdentitySigningKeyName);
        var jwtSecret = Resolve(DefaultAppJwtSecretName);
        if (generated.Count > 0)
        {
            Directory.CreateDirectory(dataDirectory);
            File.WriteAllText(path, stored.ToJsonString(Indented) + "\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        return new SharedSecrets(signingKey, jwtSecret, path, generated, configured);
    }
}
