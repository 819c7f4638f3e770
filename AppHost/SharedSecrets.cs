using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;

namespace Chat.AppHost;

/// <summary>
/// The secrets the processes share: the HMAC key of the gateway's identity headers and the default app's HS256 JWT secret.
/// Taken from configuration when given, otherwise generated once (32 random bytes, base64url) and kept in
/// <c>secrets.json</c> in the data folder (mode 0600), so restarts keep them and local tools can sign tokens.
/// Published, they are secret parameters instead, which the deployment fills: this machine's values never leave it.
/// </summary>
internal static class SharedSecrets
{
    public const string IdentitySigningKey = "Identity:SigningKey";
    public const string DefaultAppJwtSecret = "Apps:Default:JwtSecret";
    public const string FileName = "secrets.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Each secret's configuration key, and the parameter that stands for it in a published model.</summary>
    private static readonly (string Key, string Parameter, string Description)[] Published =
    [
        (IdentitySigningKey, "identity-signing-key", "32 random bytes, base64url: HMAC key of the gateway's identity headers"),
        (DefaultAppJwtSecret, "default-app-jwt-secret", "32 random bytes, base64url: HS256 secret of the default app's JWTs"),
    ];

    /// <summary>Run: the secrets in configuration (see <see cref="AddTo(IConfigurationManager, string)"/>). Publish: their parameters.</summary>
    public static void AddTo(IDistributedApplicationBuilder builder, string dataDirectory)
    {
        if (!builder.ExecutionContext.IsPublishMode)
        {
            AddTo(builder.Configuration, dataDirectory);
            return;
        }

        foreach (var (_, parameter, description) in Published)
        {
            builder.AddParameter(parameter, new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true)
                .WithDescription(description);
        }
    }

    /// <summary>The parameters of the published secrets under a configuration section, by the variable a service reads.</summary>
    public static IEnumerable<(string Variable, ParameterResource Parameter)> PublishedIn(IEnumerable<IResource> resources, string section) =>
        from secret in Published
        where secret.Key.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase)
        select (secret.Key.Replace(":", "__", StringComparison.Ordinal), resources.OfType<ParameterResource>().Single(parameter => parameter.Name == secret.Parameter));

    /// <summary>Adds every shared secret to <paramref name="configuration"/>, generating and storing the missing ones.</summary>
    public static void AddTo(IConfigurationManager configuration, string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        var stored = File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? [] : [];
        var generated = false;
        var values = new Dictionary<string, string?>();
        foreach (var (name, _, _) in Published)
        {
            if (configuration[name] is { Length: > 0 })
            {
                continue;
            }

            if (stored[name]?.GetValue<string>() is not { Length: > 0 } value)
            {
                value = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
                stored[name] = value;
                generated = true;
            }

            values[name] = value;
        }

        if (generated)
        {
            Directory.CreateDirectory(dataDirectory);
            File.WriteAllText(path, stored.ToJsonString(Indented) + "\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        configuration.AddInMemoryCollection(values);
    }
}
