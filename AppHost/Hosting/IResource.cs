namespace Chat.AppHost.Hosting;

/// <summary>Anything the application model starts or wires: a server, a database, a project.</summary>
public interface IResource
{
    string Name { get; }
}

/// <summary>A resource others reach through <c>ConnectionStrings__&lt;name&gt;</c>.</summary>
public interface IResourceWithConnectionString : IResource;

/// <summary>A resource others reach through <c>services__&lt;name&gt;__http__0</c>.</summary>
public interface IResourceWithServiceDiscovery : IResource;

/// <summary>The handle <c>Add*</c> returns, on which <c>With*</c> and <c>WaitFor</c> chain.</summary>
public interface IResourceBuilder<out T>
    where T : IResource
{
    DistributedApplicationBuilder ApplicationBuilder { get; }

    T Resource { get; }
}

internal sealed class ResourceBuilder<T>(DistributedApplicationBuilder applicationBuilder, T resource) : IResourceBuilder<T>
    where T : IResource
{
    public DistributedApplicationBuilder ApplicationBuilder { get; } = applicationBuilder;

    public T Resource { get; } = resource;
}
