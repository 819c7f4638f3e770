using Chat.AppHost.Hosting;
using static Chat.AppHost.Publishing.KubernetesObjects;

namespace Chat.AppHost.Publishing;

/// <summary>
/// PostgreSQL, Redis and RabbitMQ as single-pod StatefulSets of their official images, each with a
/// persistent volume and a headless Service named after the resource; plus the Secret template.
/// </summary>
internal static class KubernetesServerManifests
{
    public const string PostgresImage = "postgres:15";
    public const string RedisImage = "redis:7";
    public const string RabbitMqImage = "rabbitmq:3.10-management";

    public static IEnumerable<YamlMapping> For(IResource server) => server switch
    {
        PostgresServerResource postgres => Postgres(postgres),
        RedisResource redis => Redis(redis),
        RabbitMQServerResource rabbit => RabbitMq(rabbit),
        _ => throw new InvalidOperationException($"'{server.Name}' is not a server."),
    };

    /// <summary>The Secret every pod reads, with placeholders where the operator puts real values.</summary>
    public static YamlMapping SecretTemplate(IEnumerable<IResource> servers)
    {
        var data = new YamlMapping();
        foreach (var server in servers)
        {
            data.Add(ClusterWiring.PasswordKey(server), $"<{server.Name} password: letters and digits only, it goes into connection strings>");
        }

        data.Add(ClusterWiring.IdentitySigningKey.Key, "<32 random bytes, base64url: HMAC key of the gateway's identity headers>");
        data.Add(ClusterWiring.DefaultAppJwtSecret.Key, "<32 random bytes, base64url: HS256 secret of the default app's JWTs>");
        return new YamlMapping
        {
            { "apiVersion", "v1" },
            { "kind", "Secret" },
            { "metadata", Metadata(ClusterWiring.SecretName, ClusterWiring.PartOf) },
            { "type", "Opaque" },
            { "stringData", data },
        };
    }

    private static IEnumerable<YamlMapping> Postgres(PostgresServerResource postgres)
    {
        var initName = $"{postgres.Name}-init";
        var script = string.Concat(postgres.Databases.Select(database => $"CREATE DATABASE \"{database.DatabaseName}\";\n"));
        yield return new YamlMapping
        {
            { "apiVersion", "v1" },
            { "kind", "ConfigMap" },
            { "metadata", Metadata(initName, postgres.Name) },
            { "data", new YamlMapping { { "create-databases.sql", script } } },
        };
        yield return HeadlessService(postgres.Name, ("postgres", ClusterWiring.PostgresPort));
        var container = new YamlMapping
        {
            { "name", "postgres" },
            { "image", PostgresImage },
            { "ports", new YamlSequence { Port("postgres", ClusterWiring.PostgresPort) } },
            {
                "env", new YamlSequence
                {
                    Variable("POSTGRES_USER", ClusterWiring.PostgresUser),
                    FromSecret(new SecretVariable("POSTGRES_PASSWORD", ClusterWiring.PasswordKey(postgres))),
                    Variable("PGDATA", "/var/lib/postgresql/data/pgdata"),
                }
            },
            {
                "volumeMounts", new YamlSequence
                {
                    new YamlMapping { { "name", "data" }, { "mountPath", "/var/lib/postgresql/data" } },
                    new YamlMapping { { "name", "init" }, { "mountPath", "/docker-entrypoint-initdb.d" } },
                }
            },
            { "readinessProbe", ExecProbe($"pg_isready -U {ClusterWiring.PostgresUser}", initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 5) },
            { "livenessProbe", ExecProbe($"pg_isready -U {ClusterWiring.PostgresUser}", initialDelaySeconds: 30, periodSeconds: 20, timeoutSeconds: 5) },
            { "resources", Resources("250m", "256Mi", "2", "1Gi") },
        };
        var volumes = new YamlSequence { new YamlMapping { { "name", "init" }, { "configMap", new YamlMapping { { "name", initName } } } } };
        yield return StatefulSet(postgres.Name, container, volumes, "10Gi");
    }

    private static IEnumerable<YamlMapping> Redis(RedisResource redis)
    {
        var password = ClusterWiring.Password(redis);
        yield return HeadlessService(redis.Name, ("redis", ClusterWiring.RedisPort));
        var container = new YamlMapping
        {
            { "name", "redis" },
            { "image", RedisImage },
            { "args", new YamlSequence { "--requirepass", $"$({password.Name})", "--appendonly", "yes" } },
            { "ports", new YamlSequence { Port("redis", ClusterWiring.RedisPort) } },
            { "env", new YamlSequence { FromSecret(password) } },
            { "volumeMounts", new YamlSequence { new YamlMapping { { "name", "data" }, { "mountPath", "/data" } } } },
            { "readinessProbe", ExecProbe($"redis-cli --no-auth-warning -a \"${password.Name}\" ping | grep -q PONG", initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 3) },
            { "livenessProbe", ExecProbe($"redis-cli --no-auth-warning -a \"${password.Name}\" ping | grep -q PONG", initialDelaySeconds: 15, periodSeconds: 20, timeoutSeconds: 3) },
            { "resources", Resources("100m", "64Mi", "1", "512Mi") },
        };
        yield return StatefulSet(redis.Name, container, new YamlSequence(), "2Gi");
    }

    private static IEnumerable<YamlMapping> RabbitMq(RabbitMQServerResource rabbit)
    {
        yield return HeadlessService(rabbit.Name, ("amqp", ClusterWiring.AmqpPort), ("management", ClusterWiring.RabbitMqManagementPort));
        var container = new YamlMapping
        {
            { "name", "rabbitmq" },
            { "image", RabbitMqImage },
            { "ports", new YamlSequence { Port("amqp", ClusterWiring.AmqpPort), Port("management", ClusterWiring.RabbitMqManagementPort) } },
            {
                "env", new YamlSequence
                {
                    Variable("RABBITMQ_DEFAULT_USER", ClusterWiring.RabbitMqUser),
                    FromSecret(new SecretVariable("RABBITMQ_DEFAULT_PASS", ClusterWiring.PasswordKey(rabbit))),
                }
            },
            { "volumeMounts", new YamlSequence { new YamlMapping { { "name", "data" }, { "mountPath", "/var/lib/rabbitmq" } } } },
            { "readinessProbe", ExecProbe("rabbitmq-diagnostics -q check_port_connectivity", initialDelaySeconds: 20, periodSeconds: 15, timeoutSeconds: 10) },
            { "livenessProbe", ExecProbe("rabbitmq-diagnostics -q ping", initialDelaySeconds: 60, periodSeconds: 30, timeoutSeconds: 15) },
            { "resources", Resources("250m", "256Mi", "1", "1Gi") },
        };
        yield return StatefulSet(rabbit.Name, container, new YamlSequence(), "5Gi");
    }

    private static YamlMapping HeadlessService(string name, params (string Name, int Port)[] ports) => new()
    {
        { "apiVersion", "v1" },
        { "kind", "Service" },
        { "metadata", Metadata(name) },
        {
            "spec", new YamlMapping
            {
                { "clusterIP", "None" },
                { "selector", Selector(name) },
                {
                    "ports", new YamlSequence(ports.Select(port => (YamlNode)new YamlMapping
                    {
                        { "name", port.Name },
                        { "port", port.Port },
                        { "targetPort", port.Name },
                        { "protocol", "TCP" },
                    }))
                },
            }
        },
    };

    private static YamlMapping StatefulSet(string name, YamlMapping container, YamlSequence volumes, string storage)
    {
        var podSpec = new YamlMapping { { "containers", new YamlSequence { container } } };
        if (volumes.Count > 0)
        {
            podSpec.Add("volumes", volumes);
        }

        return new YamlMapping
        {
            { "apiVersion", "apps/v1" },
            { "kind", "StatefulSet" },
            { "metadata", Metadata(name) },
            {
                "spec", new YamlMapping
                {
                    { "serviceName", name },
                    { "replicas", 1 },
                    { "selector", new YamlMapping { { "matchLabels", Selector(name) } } },
                    {
                        "template", new YamlMapping
                        {
                            { "metadata", new YamlMapping { { "labels", Labels(name) } } },
                            { "spec", podSpec },
                        }
                    },
                    {
                        "volumeClaimTemplates", new YamlSequence
                        {
                            new YamlMapping
                            {
                                { "metadata", new YamlMapping { { "name", "data" } } },
                                {
                                    "spec", new YamlMapping
                                    {
                                        { "accessModes", new YamlSequence { "ReadWriteOnce" } },
                                        { "resources", new YamlMapping { { "requests", new YamlMapping { { "storage", storage } } } } },
                                    }
                                },
                            },
                        }
                    },
                }
            },
        };
    }
}
