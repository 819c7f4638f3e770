using Chat.AppHost.Hosting;
using Chat.AppHost.Servers;

namespace Chat.AppHost.Orchestration;

/// <summary>
/// PostgreSQL, Redis or RabbitMQ: healthy once the launcher's readiness probe passed, then watched
/// (process alive and port open) so the status view notices a server that died or was stopped.
/// </summary>
internal sealed class ServerRuntime(
    IResource resource,
    Func<CancellationToken, Task<IManagedServer>> start,
    Func<IManagedServer, string> describe,
    ResourceNotificationService notifications) : ResourceRuntime(resource, notifications)
{
    private static readonly TimeSpan WatchInterval = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource watching = new();
    private ResourceState state = ResourceState.Waiting;
    private string health = string.Empty;
    private string? error;
    private Task watcher = Task.CompletedTask;

    public IManagedServer? Server { get; private set; }

    public ResourceState State => state;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Set(ResourceState.Starting, "starting");
        try
        {
            Server = await start(cancellationToken);
        }
        catch (Exception e)
        {
            error = e.Message;
            Set(ResourceState.FailedToStart, "failed");
            throw;
        }

        Set(ResourceState.Healthy, "listening");
        watcher = WatchAsync(watching.Token);
    }

    public async Task StopAsync()
    {
        await watching.CancelAsync();
        await watcher;
        if (Server is not null)
        {
            Set(ResourceState.Stopping, health);
            await Server.DisposeAsync();
            Set(ResourceState.Stopped, "stopped");
        }
    }

    public override ResourceSnapshot Snapshot() => new(
        Name,
        KindOf(Resource),
        state,
        Server is null ? null : describe(Server),
        health,
        0,
        Server is { IsRunning: true, ProcessId: { } pid } ? [pid] : [],
        [],
        error);

    public override void Dispose() => watching.Dispose();

    public override IReadOnlyList<LogLine> RecentLogs(int count) => Server?.Logs.Tail(count) ?? [];

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(WatchInterval, cancellationToken);
                var server = Server!;
                if (!server.IsRunning)
                {
                    Set(ResourceState.Exited, "process not running");
                }
                else if (await LoopbackPorts.IsListeningAsync(server.Port, cancellationToken))
                {
                    Set(ResourceState.Healthy, "listening");
                }
                else
                {
                    Set(ResourceState.Unhealthy, "not listening");
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
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
        NotifyChanged();
    }
}
