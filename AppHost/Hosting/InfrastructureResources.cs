namespace Chat.AppHost.Hosting;

/// <summary>A PostgreSQL server (the superuser connection string, database <c>postgres</c>).</summary>
public sealed class PostgresServerResource(string name) : IResourceWithConnectionString
{
    private readonly List<PostgresDatabaseResource> databases = [];

    public string Name { get; } = name;

    public IReadOnlyList<PostgresDatabaseResource> Databases => databases;

    internal void Add(PostgresDatabaseResource database) => databases.Add(database);
}

/// <summary>A database the AppHost creates on its server before anything that waits for it starts.</summary>
public sealed class PostgresDatabaseResource(string name, string databaseName, PostgresServerResource parent) : IResourceWithConnectionString
{
    public string Name { get; } = name;

    public string DatabaseName { get; } = databaseName;

    public PostgresServerResource Parent { get; } = parent;
}

public sealed class RedisResource(string name) : IResourceWithConnectionString
{
    public string Name { get; } = name;
}

public sealed class RabbitMQServerResource(string name) : IResourceWithConnectionString
{
    public string Name { get; } = name;
}
