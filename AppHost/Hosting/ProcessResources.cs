namespace Chat.AppHost.Hosting;

/// <summary>A program the AppHost runs (one process per replica), with an HTTP endpoint and a /health probe.</summary>
public abstract class ProcessResource(string name) : IResourceWithServiceDiscovery
{
    private readonly List<IResource> references = [];
    private readonly List<IResource> waitsFor = [];
    private readonly Dictionary<string, string> environment = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    public int Replicas { get; internal set; } = 1;

    /// <summary>The fixed port of the resource's endpoint; null or 0 picks a free one.</summary>
    public int? HttpPort { get; internal set; }

    /// <summary>Resources whose connection string or endpoint this one is given.</summary>
    public IReadOnlyList<IResource> References => references;

    /// <summary>Resources that must be healthy before this one starts.</summary>
    public IReadOnlyList<IResource> WaitsFor => waitsFor;

    /// <summary>Extra variables, applied after the wiring so they can override it.</summary>
    public IReadOnlyDictionary<string, string> Environment => environment;

    internal void AddReference(IResource resource)
    {
        if (!references.Contains(resource))
        {
            references.Add(resource);
        }
    }

    internal void AddWaitFor(IResource resource)
    {
        if (!waitsFor.Contains(resource))
        {
            waitsFor.Add(resource);
        }
    }

    internal void SetEnvironment(string name, string value) => environment[name] = value;
}

/// <summary>A .NET project of this repository, run from its build output as <c>dotnet &lt;Project&gt;.dll</c>.</summary>
/// <param name="ProjectPath">The project folder (or .csproj) relative to the repository root.</param>
public sealed class ProjectResource(string name, string projectPath) : ProcessResource(name)
{
    public string ProjectPath { get; } = projectPath;

    /// <summary>
    /// Whether each replica also listens for HTTP/2 without TLS (h2c) on a port of its own, given to Kestrel as the
    /// <c>h2c</c> endpoint and to callers as <c>services__&lt;name&gt;__h2c__N</c>, one per replica.
    /// </summary>
    public bool ServesH2c { get; internal set; }
}

/// <summary>Any program, run as given.</summary>
public sealed class ExecutableResource(string name, string command, string workingDirectory, IReadOnlyList<string> arguments) : ProcessResource(name)
{
    public string Command { get; } = command;

    public string WorkingDirectory { get; } = workingDirectory;

    public IReadOnlyList<string> Arguments { get; } = arguments;
}
