namespace Chat.AppHost.Hosting;

/// <summary><c>AddProject</c>, <c>AddExecutable</c> and the <c>With*</c>/<c>WaitFor</c> chain, as in Aspire.</summary>
public static class ProcessBuilderExtensions
{
    /// <param name="projectPath">The project folder (or .csproj) relative to the repository root, e.g. <c>Groups.Service</c>.</param>
    public static IResourceBuilder<ProjectResource> AddProject(this DistributedApplicationBuilder builder, string name, string projectPath)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddResource(new ProjectResource(name, projectPath));
    }

    public static IResourceBuilder<ExecutableResource> AddExecutable(
        this DistributedApplicationBuilder builder, string name, string command, string workingDirectory, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddResource(new ExecutableResource(name, command, workingDirectory, args));
    }

    /// <summary>Gives the resource <c>ConnectionStrings__&lt;name&gt;</c> of a server or database.</summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResourceWithConnectionString> source)
        where T : ProcessResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(source);
        builder.Resource.AddReference(source.Resource);
        return builder;
    }

    /// <summary>Gives the resource <c>services__&lt;name&gt;__http__0</c>, the address of another process resource.</summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResourceWithServiceDiscovery> source)
        where T : ProcessResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(source);
        builder.Resource.AddReference(source.Resource);
        return builder;
    }

    /// <summary>Starts the resource only once <paramref name="dependency"/> is healthy.</summary>
    public static IResourceBuilder<T> WaitFor<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResource> dependency)
        where T : ProcessResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(dependency);
        builder.Resource.AddWaitFor(dependency.Resource);
        return builder;
    }

    public static IResourceBuilder<T> WithReplicas<T>(this IResourceBuilder<T> builder, int replicas)
        where T : ProcessResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        builder.Resource.Replicas = replicas;
        return builder;
    }

    /// <param name="port">The endpoint's port; null or 0 picks a free one.</param>
    public static IResourceBuilder<T> WithHttpEndpoint<T>(this IResourceBuilder<T> builder, int? port = null)
        where T : ProcessResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (port is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(port), port, "A TCP port is 0..65535.");
        }

        builder.Resource.HttpPort = port is 0 ? null : port;
        return builder;
    }

    /// <summary>
    /// Each replica also serves HTTP/2 without TLS on its own port, which callers are given per replica: a caller that
    /// speaks it (the gateway) multiplexes its requests over a connection to each replica and spreads them over the
    /// replicas itself, instead of holding one HTTP/1.1 connection per request in flight.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithH2cEndpoint(this IResourceBuilder<ProjectResource> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Resource.ServesH2c = true;
        return builder;
    }

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, string value)
        where T : ProcessResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Resource.SetEnvironment(name, value);
        return builder;
    }
}
