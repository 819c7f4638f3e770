using System.Diagnostics;

namespace Chat.TestInfrastructure.Servers;

/// <summary>
/// A child process started in its own session (so its process id is also its process group id and a
/// Ctrl+C at the terminal reaches only us), with its output captured into a <see cref="LogRing"/> and
/// a <see cref="Watchdog"/> that ends the group if we die. When the child exits, whatever remains of
/// its group is killed and the watchdog is dismissed.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly Process watchdog;
    private readonly int stopSignal;
    private readonly TimeSpan stopTimeout;
    private readonly TaskCompletionSource<int> exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int exitHandled;

    private ChildProcess(Process process, Process watchdog, ChildProcessSpec spec)
    {
        this.process = process;
        this.watchdog = watchdog;
        stopSignal = spec.StopSignal;
        stopTimeout = spec.StopTimeout;
        Id = process.Id;
    }

    public int Id { get; }

    /// <summary>Completes with the exit code (128 + signal when killed by a signal).</summary>
    public Task<int> Exited => exited.Task;

    public bool HasExited => exited.Task.IsCompleted;

    public static ChildProcess Start(ChildProcessSpec spec, LogRing log)
    {
        var info = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = spec.WorkingDirectory ?? string.Empty,
        };
        info.ArgumentList.Add("-w");
        if (spec.RunAsUser is { } user)
        {
            foreach (var argument in new[] { "setpriv", $"--reuid={user}", $"--regid={user}", "--init-groups", "--" })
            {
                info.ArgumentList.Add(argument);
            }
        }

        info.ArgumentList.Add(spec.FileName);
        foreach (var argument in spec.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in spec.Environment)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Capture(log, e.Data);
        process.ErrorDataReceived += (_, e) => Capture(log, e.Data);
        process.Start();

        var child = new ChildProcess(process, Watchdog.Start(process.Id, spec.StopSignal, spec.OrphanGrace), spec);
        process.Exited += (_, _) => child.OnExited();
        if (process.HasExited)
        {
            child.OnExited();
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Sends a signal to the child itself (not its group).</summary>
    public void Signal(int signal)
    {
        if (!HasExited)
        {
            Posix.Signal(Id, signal);
        }
    }

    /// <summary>Kills the whole process group at once.</summary>
    public void Kill()
    {
        if (!HasExited)
        {
            Posix.Signal(-Id, Posix.SigKill);
        }
    }

    /// <summary>Asks the child to stop with its stop signal; kills the group if it has not exited in time.</summary>
    public async Task StopAsync()
    {
        Signal(stopSignal);
        try
        {
            await Exited.WaitAsync(stopTimeout);
        }
        catch (TimeoutException)
        {
            Kill();
            await Exited;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        process.Dispose();
    }

    private static void Capture(LogRing log, string? line)
    {
        if (line is not null)
        {
            log.Add(line);
        }
    }

    private void OnExited()
    {
        if (Interlocked.Exchange(ref exitHandled, 1) == 1)
        {
            return;
        }

        // Helpers the child left behind in its group go with it; then the watchdog has nothing to guard.
        Posix.Signal(-Id, Posix.SigKill);
        watchdog.Kill();
        watchdog.WaitForExit();
        watchdog.Dispose();
        exited.TrySetResult(process.ExitCode);
    }
}
