using Chat.AppHost.Servers;

namespace Chat.AppHost.Publishing;

/// <summary>
/// A server of the model as the official image runs it in a cluster: PostgreSQL, Redis and RabbitMQ on their standard
/// ports, with a password (a generated secret parameter) where the local server trusts loopback.
/// </summary>
/// <param name="PasswordVariable">The variable the image takes the password from; Redis takes it as an argument.</param>
internal sealed record ServerContainer(string Image, int Port, string DataPath, (string Name, string Value)[] Environment, string? PasswordVariable)
{
    public static ServerContainer? Of(IResource resource) => resource switch
    {
        PostgresServerResource => new("postgres:15", 5432, "/var/lib/postgresql/data",
            [("POSTGRES_USER", PostgresServerResource.User), ("PGDATA", "/var/lib/postgresql/data/pgdata")], "POSTGRES_PASSWORD"),
        RedisServerResource => new("redis:7", 6379, "/data", [], PasswordVariable: null),
        RabbitMQServerResource => new("rabbitmq:3.10-management", 5672, "/var/lib/rabbitmq",
            [("RABBITMQ_DEFAULT_USER", RabbitMQServerResource.PublishedUser)], "RABBITMQ_DEFAULT_PASS"),
        _ => null,
    };

    public static ParameterResource PasswordOf(IResource server) => server switch
    {
        PostgresServerResource { Password: { } password } => password,
        RedisServerResource { Password: { } password } => password,
        RabbitMQServerResource { Password: { } password } => password,
        _ => throw new InvalidOperationException($"'{server.Name}' has no published password."),
    };

    /// <param name="password">How the password reads where the arguments go.</param>
    public string[] Arguments(string password) => PasswordVariable is null ? ["--requirepass", password, "--appendonly", "yes"] : [];

    /// <summary>
    /// Gives <paramref name="server"/> its password, its endpoint the standard port, and its entry in
    /// <c>aspire-manifest.json</c> the <c>container.v0</c> form of the image in place of the local executable.
    /// </summary>
    public void Publish(IDistributedApplicationBuilder builder, IResource server)
    {
        var password = builder.AddParameter($"{server.Name}-password", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true)
            .WithDescription($"{server.Name} password: letters and digits only, it goes into connection strings").Resource;
        switch (server)
        {
            case PostgresServerResource postgres: postgres.Password = password; break;
            case RedisServerResource redis: redis.Password = password; break;
            case RabbitMQServerResource rabbit: rabbit.Password = password; break;
        }

        var endpoint = server.Annotations.OfType<EndpointAnnotation>().Single();
        endpoint.Port = null;
        endpoint.TargetPort = Port;
        server.Annotations.Add(new ManifestPublishingCallbackAnnotation(context => WriteManifest(context, server, password)));
    }

    private void WriteManifest(Aspire.Hosting.Publishing.ManifestPublishingContext context, IResource server, ParameterResource password)
    {
        var writer = context.Writer;
        writer.WriteString("type", "container.v0");
        context.WriteConnectionString(server);
        writer.WriteString("image", $"docker.io/library/{Image}");
        if (Arguments(password.ValueExpression) is { Length: > 0 } arguments)
        {
            writer.WriteStartArray("args");
            Array.ForEach(arguments, writer.WriteStringValue);
            writer.WriteEndArray();
        }

        writer.WriteStartArray("volumes");
        writer.WriteStartObject();
        writer.WriteString("name", $"{ClusterValues.PartOf}-{server.Name}-data");
        writer.WriteString("target", DataPath);
        writer.WriteBoolean("readOnly", false);
        writer.WriteEndObject();
        writer.WriteEndArray();

        writer.WriteStartObject("env");
        foreach (var (name, value) in Environment)
        {
            writer.WriteString(name, value);
        }

        if (PasswordVariable is not null)
        {
            writer.WriteString(PasswordVariable, password.ValueExpression);
        }

        writer.WriteEndObject();
        context.WriteBindings(server);
    }
}
