using System.Diagnostics;

namespace Chat.AppHost.Tests.Publishing;

/// <summary>
/// <c>publish --output &lt;folder&gt;</c> run once for the test class, as <c>dotnet run --project AppHost -- publish</c> runs it:
/// the AppHost's own build output, in a process of its own. Publishing starts no server.
/// </summary>
public sealed class PublishedDeployment : IDisposable
{
    private readonly TempDirectory folder = new();

    public PublishedDeployment() => Output = Publish("deploy");

    /// <summary>The folder the publish wrote.</summary>
    public string Output { get; }

    public string File(string name) => Path.Combine(Output, name);

    /// <summary>Runs the publish command into a new folder of the temp directory, and returns that folder.</summary>
    public string Publish(string name)
    {
        var output = folder.Sub(name);
        var info = new ProcessStartInfo("dotnet", [AppHostAssembly(), "publish", "--output", output])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start dotnet.");
        var log = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("publish did not finish within 2 minutes.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"publish exited with {process.ExitCode}:\n{log.Result}{errors.Result}");
        }

        return output;
    }

    public void Dispose() => folder.Dispose();

    /// <summary>AppHost/bin/&lt;configuration&gt;/net10.0/AppHost.dll: the test runs from tests/AppHost.Tests/bin/&lt;configuration&gt;/net10.0/.</summary>
    private static string AppHostAssembly()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = testOutput.Parent!.Name;
        var repository = testOutput.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(repository, "AppHost", "bin", configuration, testOutput.Name, "AppHost.dll");
    }
}
