using System.Diagnostics;

namespace Chat.TestInfrastructure.Servers;

/// <summary>Creates a server's folder and, when the server runs as another user, hands it over.</summary>
internal static class ServerDirectories
{
    public static async Task PrepareAsync(string directory, string? runAsUser, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        if (runAsUser is null || OperatingSystem.IsWindows())
        {
            return;
        }

        EnsureReachable(directory, runAsUser);
        using var chown = Process.Start(new ProcessStartInfo("chown", [$"{runAsUser}:{runAsUser}", directory]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("Could not run chown.");
        await chown.WaitForExitAsync(cancellationToken);
        if (chown.ExitCode != 0)
        {
            throw new InvalidOperationException($"chown {runAsUser} {directory} failed with code {chown.ExitCode}.");
        }
    }

    /// <summary>
    /// The other user must be able to walk down to the folder. Temporary folders made by
    /// Directory.CreateTempSubdirectory are 0700, so ancestors inside the temp directory get
    /// o+x (traverse only, no listing); anywhere else we say what to fix rather than loosen it.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void EnsureReachable(string directory, string runAsUser)
    {
        var temp = Path.GetFullPath(Path.GetTempPath()).TrimEnd('/');
        for (var ancestor = Path.GetDirectoryName(directory); !string.IsNullOrEmpty(ancestor); ancestor = Path.GetDirectoryName(ancestor))
        {
            var mode = File.GetUnixFileMode(ancestor);
            if (mode.HasFlag(UnixFileMode.OtherExecute))
            {
                continue;
            }

            if (!ancestor.StartsWith(temp + "/", StringComparison.Ordinal))
            {
                throw new InvalidOperationException(
                    $"The server runs as '{runAsUser}', which cannot reach {directory}: {ancestor} lacks o+x. Choose another data directory or chmod o+x {ancestor}.");
            }

            File.SetUnixFileMode(ancestor, mode | UnixFileMode.OtherExecute);
        }
    }
}
