namespace Chat.AppHost.Hosting;

/// <summary><c>AddPostgres</c>, <c>AddDatabase</c>, <c>AddRedis</c>, <c>AddRabbitMQ</c>, as in Aspire.</summary>
public static class InfrastructureBuilderExtensions
{
    public static IResourceBuilder<PostgresServerResource> AddPostgres(this DistributedApplicationBuilder builder, string name)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddResource(new PostgresServerResource(name));
    }

    /// <param name="databaseName">The database's name on the server; the resource name when omitted.</param>
    public static IResourceBuilder<PostgresDatabaseResource> AddDatabase(
        this IResourceBuilder<PostgresServerResource> builder, string name, string? databaseName = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var database = new PostgresDatabaseResource(name, databaseName ?? name, builder.Resource);
        var added = builder.ApplicationBuilder.AddResource(database);
        builder.Resource.Add(database);
        return added;
    }

    public static IResourceBuilder<RedisResource> AddRedis(this DistributedApplicationBuilder builder, string name)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddResource(new RedisResource(name));
    }

    public static IResourceBuilder<RabbitMQServerResource> AddRabbitMQ(this DistributedApplicationBuilder builder, string name)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddResource(new RabbitMQServerResource(name));
    }
}
