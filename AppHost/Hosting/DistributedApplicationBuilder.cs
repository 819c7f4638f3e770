using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Chat.AppHost.Hosting;

/// <summary>Collects the resources of an application model; <see cref="Build"/> makes the runnable app.</summary>
public sealed partial class DistributedApplicationBuilder
{
    private readonly List<IResource> resources = [];

    internal DistributedApplicationBuilder(DistributedApplicationOptions options)
    {
        Options = options;
        Configuration = new ConfigurationManager();
        Configuration.AddEnvironmentVariables();
        Configuration.AddCommandLine(options.Args.ToArray());
    }

    public DistributedApplicationOptions Options { get; }

    /// <summary>Environment variables and command-line <c>--Key=Value</c> pairs; settable before <see cref="Build"/>.</summary>
    public ConfigurationManager Configuration { get; }

    public IReadOnlyList<IResource> Resources => resources;

    public IResourceBuilder<T> AddResource<T>(T resource)
        where T : IResource
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (!ResourceName().IsMatch(resource.Name))
        {
            throw new ArgumentException($"'{resource.Name}' is not a resource name: a letter, then letters, digits or '-', up to 64.", nameof(resource));
        }

        if (resources.Any(existing => string.Equals(existing.Name, resource.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new DistributedApplicationException($"A resource named '{resource.Name}' already exists.");
        }

        resources.Add(resource);
        return new ResourceBuilder<T>(this, resource);
    }

    public DistributedApplication Build()
    {
        foreach (var process in resources.OfType<ProcessResource>())
        {
            foreach (var other in process.References.Concat(process.WaitsFor).Where(other => !resources.Contains(other)))
            {
                throw new DistributedApplicationException($"'{process.Name}' refers to '{other.Name}', which is not part of this application.");
            }
        }

        if (FindWaitCycle() is { } cycle)
        {
            throw new DistributedApplicationException($"The resources wait for each other in a circle: {cycle}.");
        }

        return new DistributedApplication(resources.ToArray(), Options, Configuration);
    }

    private string? FindWaitCycle()
    {
        var done = new HashSet<IResource>();
        var path = new List<IResource>();

        string? Visit(IResource resource)
        {
            if (path.Contains(resource))
            {
                return string.Join(" → ", path.SkipWhile(step => step != resource).Append(resource).Select(step => step.Name));
            }

            if (!done.Add(resource))
            {
                return null;
            }

            path.Add(resource);
            var waits = resource is ProcessResource process ? process.WaitsFor : [];
            var cycle = waits.Select(Visit).FirstOrDefault(found => found is not null);
            path.RemoveAt(path.Count - 1);
            return cycle;
        }

        return resources.Select(Visit).FirstOrDefault(found => found is not null);
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9-]{0,63}$")]
    private static partial Regex ResourceName();
}
