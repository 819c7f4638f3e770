using System.Text.Json;
using System.Text.Json.Nodes;
using Chat.AppHost.Hosting;

namespace Chat.AppHost.Publishing;

/// <summary>
/// The model in Aspire's manifest format (aspire-8.0 schema), so deploy tools that read
/// <c>aspire-manifest.json</c> (azd, aspirate) understand it: projects as <c>project.v0</c>, servers as
/// <c>container.v0</c>, passwords and shared secrets as generated secret <c>parameter.v0</c>s,
/// databases as <c>value.v0</c> connection strings.
/// </summary>
internal static class AspireManifest
{
    public const string Schema = "https://json.schemastore.org/aspire-8.0.json";

    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private const string IdentitySigningKeyParameter = "identity-signing-key";
    private const string DefaultAppJwtSecretParameter = "default-app-jwt-secret";

    public static string Write(IReadOnlyList<IResource> resources, string repositoryRoot, string outputDirectory)
    {
        var entries = new JsonObject();
        foreach (var server in resources.Where(IsServer))
        {
            entries[ClusterWiring.PasswordKey(server)] = SecretParameter(ClusterWiring.PasswordKey(server));
        }

        entries[IdentitySigningKeyParameter] = SecretParameter(IdentitySigningKeyParameter);
        entries[DefaultAppJwtSecretParameter] = SecretParameter(DefaultAppJwtSecretParameter);
        foreach (var resource in resources)
        {
            entries[resource.Name] = resource switch
            {
                PostgresServerResource postgres => PostgresContainer(postgres),
                PostgresDatabaseResource database => new JsonObject
                {
                    ["type"] = "value.v0",
                    ["connectionString"] = $"{{{database.Parent.Name}.connectionString}};Database={database.DatabaseName}",
                },
                RedisResource redis => RedisContainer(redis),
                RabbitMQServerResource rabbit => RabbitMqContainer(rabbit),
                ProjectResource project => Project(project, repositoryRoot, outputDirectory),
                _ => throw new InvalidOperationException($"'{resource.Name}' ({resource.GetType().Name}) runs locally only and has no manifest form."),
            };
        }

        var manifest = new JsonObject { ["$schema"] = Schema, ["resources"] = entries };
        return manifest.ToJsonString(Indented)
            .ReplaceLineEndings("\n") + "\n";
    }

    public static bool IsServer(IResource resource) => resource is PostgresServerResource or RedisResource or RabbitMQServerResource;

    /// <summary>A secret the deploy tool asks for, or generates (letters and digits: it goes into connection strings).</summary>
    private static JsonObject SecretParameter(string name) => new()
    {
        ["type"] = "parameter.v0",
        ["value"] = $"{{{name}.inputs.value}}",
        ["inputs"] = new JsonObject
        {
            ["value"] = new JsonObject
            {
                ["type"] = "string",
                ["secret"] = true,
                ["default"] = new JsonObject
                {
                    ["generate"] = new JsonObject { ["minLength"] = 32, ["special"] = false },
                },
            },
        },
    };

    private static JsonObject PostgresContainer(PostgresServerResource postgres) => Container(
        postgres,
        $"docker.io/library/{KubernetesServerManifests.PostgresImage}",
        $"Host={{{postgres.Name}.bindings.tcp.host}};Port={{{postgres.Name}.bindings.tcp.port}};Username={ClusterWiring.PostgresUser};Password={PasswordValue(postgres)}",
        ClusterWiring.PostgresPort,
        new JsonObject
        {
            ["POSTGRES_HOST_AUTH_METHOD"] = "scram-sha-256",
            ["POSTGRES_INITDB_ARGS"] = "--auth-host=scram-sha-256 --auth-local=scram-sha-256",
            ["POSTGRES_USER"] = ClusterWiring.PostgresUser,
            ["POSTGRES_PASSWORD"] = PasswordValue(postgres),
        },
        args: null);

    private static JsonObject RedisContainer(RedisResource redis) => Container(
        redis,
        $"docker.io/library/{KubernetesServerManifests.RedisImage}",
        $"{{{redis.Name}.bindings.tcp.host}}:{{{redis.Name}.bindings.tcp.port}},password={PasswordValue(redis)}",
        ClusterWiring.RedisPort,
        new JsonObject(),
        args: ["--requirepass", PasswordValue(redis)]);

    private static JsonObject RabbitMqContainer(RabbitMQServerResource rabbit) => Container(
        rabbit,
        $"docker.io/library/{KubernetesServerManifests.RabbitMqImage}",
        $"amqp://{ClusterWiring.RabbitMqUser}:{PasswordValue(rabbit)}@{{{rabbit.Name}.bindings.tcp.host}}:{{{rabbit.Name}.bindings.tcp.port}}",
        ClusterWiring.AmqpPort,
        new JsonObject
        {
            ["RABBITMQ_DEFAULT_USER"] = ClusterWiring.RabbitMqUser,
            ["RABBITMQ_DEFAULT_PASS"] = PasswordValue(rabbit),
        },
        args: null);

    /// <summary>The manifest expression of a server's password parameter.</summary>
    private static string PasswordValue(IResource server) => $"{{{ClusterWiring.PasswordKey(server)}.value}}";

    private static JsonObject Container(IResource resource, string image, string connectionString, int port, JsonObject environment, string[]? args)
    {
        var container = new JsonObject
        {
            ["type"] = "container.v0",
            ["connectionString"] = connectionString,
            ["image"] = image,
        };
        if (args is not null)
        {
            container["args"] = new JsonArray(args.Select(arg => (JsonNode?)arg).ToArray());
        }

        container["volumes"] = new JsonArray(new JsonObject
        {
            ["name"] = $"{ClusterWiring.PartOf}-{resource.Name}-data",
            ["target"] = resource switch
            {
                PostgresServerResource => "/var/lib/postgresql/data",
                RabbitMQServerResource => "/var/lib/rabbitmq",
                _ => "/data",
            },
            ["readOnly"] = false,
        });
        container["env"] = environment;
        container["bindings"] = new JsonObject
        {
            ["tcp"] = new JsonObject { ["scheme"] = "tcp", ["protocol"] = "tcp", ["transport"] = "tcp", ["targetPort"] = port },
        };
        return container;
    }

    private static JsonObject Project(ProjectResource project, string repositoryRoot, string outputDirectory)
    {
        var projectFile = Orchestration.ProjectOutput.ProjectFile(repositoryRoot, project);
        var environment = new JsonObject
        {
            ["OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EXCEPTION_LOG_ATTRIBUTES"] = "true",
            ["OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EVENT_LOG_ATTRIBUTES"] = "true",
            ["HTTP_PORTS"] = $"{{{project.Name}.bindings.http.targetPort}}",
            [ClusterWiring.IdentitySigningKey.Name] = $"{{{IdentitySigningKeyParameter}.value}}",
            [ClusterWiring.DefaultAppJwtSecret.Name] = $"{{{DefaultAppJwtSecretParameter}.value}}",
        };
        foreach (var reference in project.References)
        {
            if (reference is ProcessResource service)
            {
                environment[$"services__{service.Name}__http__0"] = $"{{{service.Name}.bindings.http.url}}";
            }
            else
            {
                environment[$"ConnectionStrings__{reference.Name}"] = $"{{{reference.Name}.connectionString}}";
            }
        }

        foreach (var (name, value) in project.Environment)
        {
            environment[name] = value;
        }

        var http = new JsonObject { ["scheme"] = "http", ["protocol"] = "tcp", ["transport"] = "http" };
        if (ClusterWiring.IsExternal(project))
        {
            http["external"] = true;
        }

        return new JsonObject
        {
            ["type"] = "project.v0",
            ["path"] = Path.GetRelativePath(outputDirectory, projectFile).Replace('\\', '/'),
            ["env"] = environment,
            ["bindings"] = new JsonObject { ["http"] = http },
        };
    }
}
