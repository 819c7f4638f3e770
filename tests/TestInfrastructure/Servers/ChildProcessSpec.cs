namespace Chat.TestInfrastructure.Servers;

/// <summary>What to run as a supervised child process and how to stop it.</summary>
internal sealed record ChildProcessSpec(string FileName, IReadOnlyList<string> Arguments)
{
    public string? WorkingDirectory { get; init; }

    /// <summary>Variables to set (a null value removes an inherited one).</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Run as this user (via setpriv); only meaningful when we are root.</summary>
    public string? RunAsUser { get; init; }

    /// <summary>The signal that asks the program to shut down cleanly.</summary>
    public int StopSignal { get; init; } = Posix.SigTerm;

    /// <summary>How long <see cref="ChildProcess.StopAsync()"/> waits after the stop signal before killing the group.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the watchdog waits after <see cref="StopSignal"/> before killing the group, once the owner is gone.</summary>
    public TimeSpan OrphanGrace { get; init; } = TimeSpan.FromSeconds(1.5);
}
