using System.ComponentModel;
using Chat.AppHost.Hosting;
using Chat.AppHost.Servers;
using Microsoft.Extensions.Logging;

namespace Chat.AppHost.Orchestration;

/// <summary>
/// Runs one replica of a project: starts it, probes <c>GET /health</c> (Running → Healthy, or
/// Unhealthy once it had passed), and restarts it with exponential backoff when it exits unasked.
/// </summary>
internal sealed class ReplicaSupervisor(
    string resourceName,
    int index,
    Uri url,
    Func<ChildProcessSpec> prepare,
    HttpClient healthClient,
    Action notifyChanged,
    ILogger logger) : IDisposable
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StableUptime = TimeSpan.FromSeconds(60);

    private readonly CancellationTokenSource stopping = new();
    private readonly Lock gate = new();
    private ChildProcess? current;
    private TaskCompletionSource exitRecorded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ResourceState state = ResourceState.Waiting;
    private string health = string.Empty;
    private int restarts;
    private int? lastExitCode;
    private string? error;
    private Task running = Task.CompletedTask;

    public LogRing Logs { get; } = new();

    public Uri Url { get; } = url;

    public ResourceState State => state;

    public string? Error => error;

    public void Start() => running = Task.Run(RunAsync);

    /// <summary>SIGKILLs the current process and returns once the supervisor recorded the exit.</summary>
    public async Task KillAsync()
    {
        ChildProcess? process;
        Task recorded;
        lock (gate)
        {
            process = current;
            recorded = exitRecorded.Task;
        }

        if (process is null)
        {
            return;
        }

        process.Kill();
        await recorded;
    }

    /// <summary>Stops the process (SIGTERM, then SIGKILL after the timeout) and ends supervision.</summary>
    public async Task StopAsync()
    {
        await stopping.CancelAsync();
        ChildProcess? process;
        lock (gate)
        {
            process = current;
        }

        if (process is not null)
        {
            Set(ResourceState.Stopping, health);
            await process.StopAsync();
        }

        await running;
    }

    public void Dispose() => stopping.Dispose();

    public ReplicaSnapshot Snapshot() => new(index, state, current?.Id, Url, health, restarts, lastExitCode);

    private async Task RunAsync()
    {
        var backoff = FirstBackoff;
        while (!stopping.IsCancellationRequested)
        {
            if (Launch() is not { } process)
            {
                return;
            }

            var startedAt = DateTime.UtcNow;
            using (var incarnation = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token))
            {
                var probing = ProbeHealthAsync(incarnation.Token);
                lastExitCode = await process.Exited;
                await incarnation.CancelAsync();
                await probing;
                await process.DisposeAsync();
            }

            var recorded = RecordExit();
            if (stopping.IsCancellationRequested)
            {
                Set(ResourceState.Stopped, "stopped");
                recorded.TrySetResult();
                return;
            }

            restarts++;
            backoff = DateTime.UtcNow - startedAt > StableUptime ? FirstBackoff : backoff;
            logger.LogWarning("{Resource} replica {Index} exited with code {ExitCode}; restart {Restarts} in {Delay} s. Its last output:\n{Output}",
                resourceName, index, lastExitCode, restarts, backoff.TotalSeconds, Logs.TailText(10));
            Set(ResourceState.Restarting, $"exited with {lastExitCode}");
            recorded.TrySetResult();
            try
            {
                await Task.Delay(backoff, stopping.Token);
            }
            catch (OperationCanceledException)
            {
                Set(ResourceState.Stopped, "stopped");
                return;
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    /// <summary>Starts the next process; null (and FailedToStart) when it cannot be started at all.</summary>
    private ChildProcess? Launch()
    {
        try
        {
            Set(ResourceState.Starting, string.Empty);
            var spec = prepare();
            lock (gate)
            {
                current = ChildProcess.Start(spec, Logs);
            }

            Set(ResourceState.Running, "starting");
            return current;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or Win32Exception or InvalidOperationException)
        {
            error = e.Message;
            logger.LogError("{Resource} replica {Index} failed to start: {Error}", resourceName, index, e.Message);
            Set(ResourceState.FailedToStart, "not started");
            return null;
        }
    }

    /// <summary>Forgets the exited process; the returned signal tells <see cref="KillAsync"/> the exit is recorded.</summary>
    private TaskCompletionSource RecordExit()
    {
        lock (gate)
        {
            current = null;
            var recorded = exitRecorded;
            exitRecorded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return recorded;
        }
    }

    private async Task ProbeHealthAsync(CancellationToken cancellationToken)
    {
        var everHealthy = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            var (healthy, outcome) = await CheckAsync(cancellationToken);
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            everHealthy |= healthy;
            Set(healthy ? ResourceState.Healthy : everHealthy ? ResourceState.Unhealthy : ResourceState.Running, outcome);
            try
            {
                await Task.Delay(healthy ? TimeSpan.FromSeconds(5) : TimeSpan.FromMilliseconds(500), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<(bool Healthy, string Outcome)> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await healthClient.GetAsync(new Uri($"http://127.0.0.1:{Url.Port}/health"), cancellationToken);
            return (response.IsSuccessStatusCode, $"{(int)response.StatusCode} {response.ReasonPhrase}");
        }
        catch (HttpRequestException e)
        {
            return (false, e.HttpRequestError == HttpRequestError.ConnectionError ? "not listening" : e.Message);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, "timed out");
        }
        catch (OperationCanceledException)
        {
            return (false, "stopping");
        }
    }

    private void Set(ResourceState newState, string newHealth)
    {
        if (newState == state && newHealth == health)
        {
            return;
        }

        state = newState;
        health = newHealth;
        notifyChanged();
    }
}
