using Chat.AppHost.Hosting;

namespace Chat.AppHost.Orchestration;

/// <summary>The addresses a process resource is wired to: connection strings and other resources' endpoints.</summary>
internal interface IEndpointDirectory
{
    string ConnectionStringOf(IResource resource);

    Uri EndpointOf(ProcessResource resource);

    /// <summary>Each replica's HTTP/2-without-TLS endpoint; empty unless the resource serves h2c.</summary>
    IReadOnlyList<Uri> H2cEndpointsOf(ProcessResource resource);
}

/// <summary>
/// The environment of one replica, in Aspire's conventions: <c>ConnectionStrings__&lt;name&gt;</c>,
/// <c>services__&lt;name&gt;__http__0</c>, <c>OTEL_SERVICE_NAME</c>, <c>ASPNETCORE_URLS</c>, plus the
/// shared secrets, then the resource's own <c>WithEnvironment</c> values. A replica that also serves h2c
/// is given both its endpoints as Kestrel configuration instead of <c>ASPNETCORE_URLS</c> (which Kestrel
/// ignores once endpoints are configured), and its callers get <c>services__&lt;name&gt;__h2c__N</c>.
/// </summary>
internal static class EnvironmentWiring
{
    public const string DevelopmentEnvironment = "Development";

    /// <summary>OTLP exporter settings handed down only when the AppHost itself was given them.</summary>
    private static readonly string[] OtlpPassThrough = ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_HEADERS"];

    public static IReadOnlyDictionary<string, string> For(
        ProcessResource resource, int replica, Uri bindUrl, IEndpointDirectory directory, SharedSecrets secrets)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ASPNETCORE_ENVIRONMENT"] = DevelopmentEnvironment,
            ["DOTNET_ENVIRONMENT"] = DevelopmentEnvironment,
            ["OTEL_SERVICE_NAME"] = resource.Name,
            ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={resource.Name}-{replica}",
        };
        if (directory.H2cEndpointsOf(resource) is { Count: > 0 } h2c)
        {
            foreach (var (name, value) in KestrelEndpoints(bindUrl.GetLeftPart(UriPartial.Authority), h2c[replica].GetLeftPart(UriPartial.Authority)))
            {
                environment[name] = value;
            }
        }
        else
        {
            environment["ASPNETCORE_URLS"] = bindUrl.GetLeftPart(UriPartial.Authority);
        }

        foreach (var name in OtlpPassThrough)
        {
            if (System.Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
            {
                environment[name] = value;
            }
        }

        environment[ConfigurationKey(SharedSecrets.IdentitySigningKeyName)] = secrets.IdentitySigningKey;
        environment[ConfigurationKey(SharedSecrets.DefaultAppJwtSecretName)] = secrets.DefaultAppJwtSecret;

        foreach (var reference in resource.References)
        {
            if (reference is ProcessResource service)
            {
                environment[ServiceEndpointKey(service, "http", 0)] = directory.EndpointOf(service).GetLeftPart(UriPartial.Authority);
                foreach (var (endpoint, index) in directory.H2cEndpointsOf(service).Select((endpoint, index) => (endpoint, index)))
                {
                    environment[ServiceEndpointKey(service, "h2c", index)] = endpoint.GetLeftPart(UriPartial.Authority);
                }
            }
            else
            {
                environment[$"ConnectionStrings__{reference.Name}"] = directory.ConnectionStringOf(reference);
            }
        }

        foreach (var (name, value) in resource.Environment)
        {
            environment[name] = value;
        }

        return environment;
    }

    /// <summary>
    /// The Kestrel endpoints of a replica that serves h2c: HTTP/1.1 at <paramref name="http"/>, HTTP/2 only at
    /// <paramref name="h2c"/>. They replace <c>ASPNETCORE_URLS</c>, which Kestrel ignores once endpoints are configured.
    /// </summary>
    public static KeyValuePair<string, string>[] KestrelEndpoints(string http, string h2c) =>
    [
        new("Kestrel__Endpoints__http__Url", http),
        new("Kestrel__Endpoints__h2c__Url", h2c),
        new("Kestrel__Endpoints__h2c__Protocols", "Http2"),
    ];

    /// <summary>Aspire's service discovery variable for endpoint <paramref name="index"/> of <paramref name="service"/>'s <paramref name="scheme"/>.</summary>
    public static string ServiceEndpointKey(ProcessResource service, string scheme, int index) => $"services__{service.Name}__{scheme}__{index}";

    /// <summary><c>Identity:SigningKey</c> as an environment variable name: <c>Identity__SigningKey</c>.</summary>
    public static string ConfigurationKey(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    /// <summary>Whether a variable carries a secret that logs may show only a prefix of.</summary>
    public static bool IsSecret(string name) =>
        name == ConfigurationKey(SharedSecrets.IdentitySigningKeyName) || name == ConfigurationKey(SharedSecrets.DefaultAppJwtSecretName)
        || name.Contains("PASSWORD", StringComparison.OrdinalIgnoreCase) || name.Contains("SECRET", StringComparison.OrdinalIgnoreCase)
        || name == "OTEL_EXPORTER_OTLP_HEADERS";
}
