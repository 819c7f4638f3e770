using System.Diagnostics;
using System.Text.Json;
using Chat.AppHost.Hosting;
using Chat.AppHost.Servers;
using Microsoft.Extensions.Logging;

namespace Chat.AppHost.Orchestration;

/// <summary>
/// Builds Chat.sln once before any project starts, filtered (a .slnf in the data directory) to the
/// model's projects and what they reference: a test project that is mid-edit must not keep the
/// platform from running, and the filter halves the build time.
/// </summary>
internal static class SolutionBuild
{
    public const string FilterFile = "apphost.slnf";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task RunAsync(
        string repositoryRoot, string dataDirectory, IEnumerable<ProjectResource> projects, string configuration, ILogger logger, CancellationToken cancellationToken)
    {
        var filter = WriteFilter(repositoryRoot, dataDirectory, projects);
        logger.LogInformation("Building {Solution} ({Configuration}) for the model's projects…", RepositoryRoot.SolutionFile, configuration);
        var log = new LogRing(200);
        var stopwatch = Stopwatch.StartNew();
        await using var build = ChildProcess.Start(
            new ChildProcessSpec("dotnet", ["build", filter, "-c", configuration, "-nologo", "-v:q", "-nodeReuse:false"])
            {
                WorkingDirectory = repositoryRoot,
                Environment = new Dictionary<string, string?> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" },
            },
            log);
        int exitCode;
        try
        {
            exitCode = await build.Exited.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            build.Kill();
            throw;
        }

        if (exitCode != 0)
        {
            throw new DistributedApplicationException($"dotnet build {filter} failed with code {exitCode}:\n{log.TailText(60)}");
        }

        logger.LogInformation("Build succeeded in {Seconds:0.0} s", stopwatch.Elapsed.TotalSeconds);
    }

    private static string WriteFilter(string repositoryRoot, string dataDirectory, IEnumerable<ProjectResource> projects)
    {
        var path = Path.Combine(dataDirectory, FilterFile);
        var filter = new
        {
            solution = new
            {
                path = Path.GetRelativePath(dataDirectory, Path.Combine(repositoryRoot, RepositoryRoot.SolutionFile)),
                projects = projects
                    .Select(project => Path.GetRelativePath(repositoryRoot, ProjectOutput.ProjectFile(repositoryRoot, project)).Replace('\\', '/'))
                    .Distinct()
                    .ToArray(),
            },
        };
        File.WriteAllText(path, JsonSerializer.Serialize(filter, Indented));
        return path;
    }
}
