using Chat.AppHost.Hosting;

namespace Chat.AppHost.Publishing;

/// <summary>A variable taken from the <see cref="ClusterWiring.SecretName"/> Secret.</summary>
internal sealed record SecretVariable(string Name, string Key);

/// <summary>
/// How the model looks inside a cluster: every server is a Service named after its resource on
/// its standard port, credentials come from one Secret, and a connection string refers to them as
/// <c>$(VARIABLE)</c>, which Kubernetes expands from variables declared before it in <c>env</c>.
/// </summary>
internal static class ClusterWiring
{
    public const string SecretName = "chat-secrets";
    public const string PartOf = "chat";
    public const int PostgresPort = 5432;
    public const int RedisPort = 6379;
    public const int AmqpPort = 5672;
    public const int RabbitMqManagementPort = 15672;
    public const int ContainerHttpPort = 8080;
    public const int ContainerH2cPort = 8081;
    public const int ServiceHttpPort = 80;
    public const string RabbitMqUser = "chat";
    public const string PostgresUser = "postgres";

    public static readonly SecretVariable IdentitySigningKey = new("Identity__SigningKey", "identity-signing-key");
    public static readonly SecretVariable DefaultAppJwtSecret = new("Apps__Default__JwtSecret", "default-app-jwt-secret");

    /// <summary>The Secret key holding a server's password: <c>&lt;resource&gt;-password</c>.</summary>
    public static string PasswordKey(IResource server) => $"{server.Name}-password";

    public static SecretVariable Password(IResource server) =>
        new($"{server.Name.ToUpperInvariant().Replace('-', '_')}_PASSWORD", PasswordKey(server));

    /// <summary>The server a connection-string resource lives on (a database's parent, or itself).</summary>
    public static IResource ServerOf(IResource resource) => resource is PostgresDatabaseResource database ? database.Parent : resource;

    /// <summary>The in-cluster connection string, with <c>$(…_PASSWORD)</c> for the credential.</summary>
    public static string ConnectionString(IResource resource) => resource switch
    {
        PostgresServerResource server => $"Host={server.Name};Port={PostgresPort};Username={PostgresUser};Password=$({Password(server).Name})",
        PostgresDatabaseResource database => $"{ConnectionString(database.Parent)};Database={database.DatabaseName}",
        RedisResource redis => $"{redis.Name}:{RedisPort},password=$({Password(redis).Name})",
        RabbitMQServerResource rabbit => $"amqp://{RabbitMqUser}:$({Password(rabbit).Name})@{rabbit.Name}:{AmqpPort}/",
        _ => throw new InvalidOperationException($"'{resource.Name}' has no connection string."),
    };

    public static string ServiceUrl(ProcessResource service) => $"http://{service.Name}";

    /// <summary>
    /// The headless Service of a project's h2c port: its DNS name has one address per ready pod, which a caller (the
    /// gateway) resolves and balances over itself, since one HTTP/2 connection through a Service would stay on one pod.
    /// </summary>
    public static string H2cServiceName(ProcessResource service) => $"{service.Name}-h2c";

    public static string H2cServiceUrl(ProcessResource service) => $"http://{H2cServiceName(service)}:{ContainerH2cPort}";

    /// <summary>A resource given a fixed local port is the public face (the gateway).</summary>
    public static bool IsExternal(ProcessResource resource) => resource.HttpPort is > 0;

    public static string Image(ProcessResource resource) => $"{PartOf}/{resource.Name}:latest";
}
