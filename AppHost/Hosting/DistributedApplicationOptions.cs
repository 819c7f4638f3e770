using Microsoft.Extensions.Logging;

namespace Chat.AppHost.Hosting;

/// <summary>
/// How an application model runs. The defaults suit programmatic use (tests): no build, no dashboard,
/// no console output. <see cref="DistributedApplication.CreateBuilder(string[])"/> turns on what the run command wants.
/// </summary>
public sealed class DistributedApplicationOptions
{
    /// <summary>Extra configuration, command-line style (<c>--Gateway:Port=0</c>).</summary>
    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>The folder holding Chat.sln; found by walking up from the current and the app's directory when null.</summary>
    public string? RepositoryRoot { get; init; }

    /// <summary>Where servers keep their data and the generated secrets live; <c>&lt;repo&gt;/.data</c> when null.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>false runs PostgreSQL without fsync and Redis without persistence: for tests.</summary>
    public bool Durable { get; init; } = true;

    /// <summary>The build configuration whose output the projects run from.</summary>
    public string Configuration { get; init; } = "Debug";

    /// <summary>Build the model's projects (Chat.sln, filtered to them) before starting them.</summary>
    public bool BuildProjects { get; init; }

    /// <summary>The dashboard's address (e.g. <c>http://localhost:18888</c>, port 0 for a free one); null turns it off.</summary>
    public string? DashboardUrl { get; init; }

    /// <summary>Print the AppHost's log and the status table (on every change) to the console.</summary>
    public bool ConsoleOutput { get; init; }

    /// <summary>With <see cref="ConsoleOutput"/>, also echo every line the projects write, prefixed with the resource name.</summary>
    public bool EchoProcessOutput { get; init; }

    /// <summary>Where the AppHost's own log goes; the console (when <see cref="ConsoleOutput"/>) or nowhere by default.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}
