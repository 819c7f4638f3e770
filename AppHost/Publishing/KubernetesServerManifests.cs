using Chat.AppHost.Servers;
using static Chat.AppHost.Publishing.KubernetesObjects;

namespace Chat.AppHost.Publishing;

/// <summary>
/// PostgreSQL, Redis and RabbitMQ as single-pod StatefulSets of their official images (<see cref="ServerContainer"/>),
/// each with a persistent volume and a headless Service named after the resource; plus the Secret template.
/// </summary>
internal static class KubernetesServerManifests
{
    public const int RabbitMqManagementPort = 15672;

    public static IEnumerable<YamlMapping> For(IResource server) => server switch
    {
        PostgresServerResource postgres => Postgres(postgres, ServerContainer.Of(postgres)!),
        RedisServerResource redis => Redis(redis, ServerContainer.Of(redis)!),
        RabbitMQServerResource rabbit => RabbitMq(rabbit, ServerContainer.Of(rabbit)!),
        _ => throw new InvalidOperationException($"'{server.Name}' is not a server."),
    };

    /// <summary>The Secret every pod reads, a key per secret parameter, with placeholders where the operator puts real values.</summary>
    public static YamlMapping SecretTemplate(IEnumerable<ParameterResource> secrets)
    {
        var data = new YamlMapping();
        foreach (var secret in secrets)
        {
            data.Add(secret.Name, $"<{secret.Description ?? secret.Name}>");
        }

        return new YamlMapping
        {
            { "apiVersion", "v1" },
            { "kind", "Secret" },
            { "metadata", Metadata(ClusterValues.SecretName, ClusterValues.PartOf) },
            { "type", "Opaque" },
            { "stringData", data },
        };
    }

    private static IEnumerable<YamlMapping> Postgres(PostgresServerResource postgres, ServerContainer image)
    {
        var initName = $"{postgres.Name}-init";
        var script = string.Concat(postgres.Databases.Select(database => $"CREATE DATABASE \"{database.Name}\";\n"));
        yield return new YamlMapping
        {
            { "apiVersion", "v1" },
            { "kind", "ConfigMap" },
            { "metadata", Metadata(initName, postgres.Name) },
            { "data", new YamlMapping { { "create-databases.sql", script } } },
        };
        yield return HeadlessService(postgres.Name, ("postgres", image.Port));
        var container = new YamlMapping
        {
            { "name", "postgres" },
            { "image", image.Image },
            { "ports", new YamlSequence { Port("postgres", image.Port) } },
            { "env", Environment(postgres, image) },
            {
                "volumeMounts", new YamlSequence
                {
                    new YamlMapping { { "name", "data" }, { "mountPath", image.DataPath } },
                    new YamlMapping { { "name", "init" }, { "mountPath", "/docker-entrypoint-initdb.d" } },
                }
            },
            { "readinessProbe", ExecProbe($"pg_isready -U {PostgresServerResource.User}", initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 5) },
            { "livenessProbe", ExecProbe($"pg_isready -U {PostgresServerResource.User}", initialDelaySeconds: 30, periodSeconds: 20, timeoutSeconds: 5) },
            { "resources", Resources("250m", "256Mi", "2", "1Gi") },
        };
        var volumes = new YamlSequence { new YamlMapping { { "name", "init" }, { "configMap", new YamlMapping { { "name", initName } } } } };
        yield return StatefulSet(postgres.Name, container, volumes, "10Gi");
    }

    private static IEnumerable<YamlMapping> Redis(RedisServerResource redis, ServerContainer image)
    {
        var password = ClusterValues.Variable(ServerContainer.PasswordOf(redis));
        yield return HeadlessService(redis.Name, ("redis", image.Port));
        var container = new YamlMapping
        {
            { "name", "redis" },
            { "image", image.Image },
            { "args", new YamlSequence(image.Arguments($"$({password.Name})").Select(argument => (YamlNode)argument)) },
            { "ports", new YamlSequence { Port("redis", image.Port) } },
            { "env", new YamlSequence { FromSecret(password) } },
            { "volumeMounts", new YamlSequence { new YamlMapping { { "name", "data" }, { "mountPath", image.DataPath } } } },
            { "readinessProbe", ExecProbe($"redis-cli --no-auth-warning -a \"${password.Name}\" ping | grep -q PONG", initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 3) },
            { "livenessProbe", ExecProbe($"redis-cli --no-auth-warning -a \"${password.Name}\" ping | grep -q PONG", initialDelaySeconds: 15, periodSeconds: 20, timeoutSeconds: 3) },
            { "resources", Resources("100m", "64Mi", "1", "512Mi") },
        };
        yield return StatefulSet(redis.Name, container, new YamlSequence(), "2Gi");
    }

    private static IEnumerable<YamlMapping> RabbitMq(RabbitMQServerResource rabbit, ServerContainer image)
    {
        yield return HeadlessService(rabbit.Name, ("amqp", image.Port), ("management", RabbitMqManagementPort));
        var container = new YamlMapping
        {
            { "name", "rabbitmq" },
            { "image", image.Image },
            { "ports", new YamlSequence { Port("amqp", image.Port), Port("management", RabbitMqManagementPort) } },
            { "env", Environment(rabbit, image) },
            { "volumeMounts", new YamlSequence { new YamlMapping { { "name", "data" }, { "mountPath", image.DataPath } } } },
            { "readinessProbe", ExecProbe("rabbitmq-diagnostics -q check_port_connectivity", initialDelaySeconds: 20, periodSeconds: 15, timeoutSeconds: 10) },
            { "livenessProbe", ExecProbe("rabbitmq-diagnostics -q ping", initialDelaySeconds: 60, periodSeconds: 30, timeoutSeconds: 15) },
            { "resources", Resources("250m", "256Mi", "1", "1Gi") },
        };
        yield return StatefulSet(rabbit.Name, container, new YamlSequence(), "5Gi");
    }

    /// <summary>The image's variables, and its password from the Secret.</summary>
    private static YamlSequence Environment(IResource server, ServerContainer image)
    {
        var environment = new YamlSequence(image.Environment.Select(variable => (YamlNode)Variable(variable.Name, variable.Value)));
        environment.Add(FromSecret(new SecretVariable(image.PasswordVariable!, ServerContainer.PasswordOf(server).Name)));
        return environment;
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
