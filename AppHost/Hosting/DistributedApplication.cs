using System.Runtime.InteropServices;
using Chat.AppHost.Dashboard;
using Chat.AppHost.Orchestration;
using Chat.AppHost.Servers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chat.AppHost.Hosting;

/// <summary>
/// A built application model, ready to start: <see cref="RunAsync"/> for the run command,
/// <see cref="StartAsync"/>/<see cref="StopAsync"/> and the accessors for tests.
/// </summary>
public sealed class DistributedApplication : IAsyncDisposable
{
    private readonly DistributedApplicationOptions options;
    private readonly ILoggerFactory loggerFactory;
    private readonly bool ownsLoggerFactory;
    private readonly Orchestrator orchestrator;
    private ConsoleStatusView? consoleView;
    private DashboardServer? dashboard;
    private bool started;

    internal DistributedApplication(IReadOnlyList<IResource> resources, DistributedApplicationOptions options, IConfiguration configuration)
    {
        this.options = options;
        Resources = resources;
        ownsLoggerFactory = options.LoggerFactory is null && options.ConsoleOutput;
        loggerFactory = options.LoggerFactory ?? (options.ConsoleOutput ? ConsoleLogging.Create(configuration) : NullLoggerFactory.Instance);
        orchestrator = new Orchestrator(resources, options, configuration, loggerFactory);
    }

    public IReadOnlyList<IResource> Resources { get; }

    public ResourceNotificationService ResourceNotifications => orchestrator.Notifications;

    /// <summary>The shared secrets every project was given (available once started).</summary>
    public SharedSecrets Secrets => orchestrator.Secrets ?? throw NotStarted();

    /// <summary>The dashboard's address, when it runs.</summary>
    public Uri? DashboardUrl => dashboard?.Address;

    /// <summary>The run command's builder: <c>--no-build</c>, <c>-c|--configuration</c>, <c>--data</c>,
    /// <c>--dashboard-url</c>, <c>--no-dashboard</c>, <c>--echo</c>; every other argument is configuration (<c>--Gateway:Port=9000</c>).</summary>
    public static DistributedApplicationBuilder CreateBuilder(string[] args) => CreateBuilder(RunArguments.Parse(args));

    public static DistributedApplicationBuilder CreateBuilder(DistributedApplicationOptions options) => new(options);

    /// <summary>Starts the servers (and the build), then launches every project as its dependencies become healthy.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (started)
        {
            throw new InvalidOperationException("The application has already been started.");
        }

        started = true;
        if (options.ConsoleOutput)
        {
            consoleView = new ConsoleStatusView(orchestrator, options.EchoProcessOutput);
        }

        await orchestrator.StartAsync(cancellationToken);
        if (options.DashboardUrl is { } url)
        {
            dashboard = await DashboardServer.TryStartAsync(url, orchestrator, loggerFactory.CreateLogger("Chat.AppHost.Dashboard"), cancellationToken);
        }
    }

    /// <summary>Stops projects (SIGTERM, then SIGKILL after a timeout), then RabbitMQ, Redis and PostgreSQL.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (dashboard is not null)
        {
            await dashboard.DisposeAsync();
            dashboard = null;
        }

        await orchestrator.StopAsync().WaitAsync(cancellationToken);
        consoleView?.Dispose();
    }

    /// <summary>Starts, then runs until Ctrl+C, SIGTERM or <paramref name="cancellationToken"/>, then stops.</summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        using var shutdown = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        void RequestShutdown(PosixSignalContext context)
        {
            context.Cancel = true;
            shutdown.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, RequestShutdown);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, RequestShutdown);
        try
        {
            await StartAsync(shutdown.Token);
            await Task.Delay(Timeout.Infinite, shutdown.Token);
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            // Ctrl+C or SIGTERM: stop below.
        }
        finally
        {
            await StopAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (started)
        {
            await StopAsync(CancellationToken.None);
        }

        await orchestrator.DisposeAsync();
        if (ownsLoggerFactory)
        {
            loggerFactory.Dispose();
        }
    }

    /// <summary>A project's HTTP endpoint (the replica's own, or the proxy in front of several replicas).</summary>
    public Uri GetEndpoint(string resourceName) => Process(resourceName).Endpoint;

    /// <summary>The address of one replica of a project.</summary>
    public Uri GetEndpoint(string resourceName, int replica) => Replica(resourceName, replica).Url;

    /// <summary>What a project referencing the resource gets as <c>ConnectionStrings__&lt;name&gt;</c>.</summary>
    public string GetConnectionString(string resourceName) =>
        orchestrator.ConnectionStringOf(orchestrator.Runtime(resourceName).Resource);

    /// <summary>The running launcher of a server resource, e.g. <c>GetServer&lt;RabbitMqServer&gt;("messaging-bus")</c> to stop and restart the broker.</summary>
    public TServer GetServer<TServer>(string resourceName)
        where TServer : class =>
        (orchestrator.Runtime(resourceName) as ServerRuntime)?.Server as TServer
            ?? throw new DistributedApplicationException($"'{resourceName}' is not a running {typeof(TServer).Name}.");

    /// <summary>SIGKILLs one replica; returns once the exit is recorded (the supervisor then restarts it after its backoff).</summary>
    public Task KillReplicaAsync(string resourceName, int replica = 0) => Replica(resourceName, replica).KillAsync();

    public Task WaitForResourceHealthyAsync(string resourceName, CancellationToken cancellationToken = default) =>
        orchestrator.Notifications.WaitForResourceHealthyAsync(resourceName, cancellationToken);

    /// <summary>The resource's last output lines (all replicas, oldest first).</summary>
    public IReadOnlyList<LogLine> GetRecentLogs(string resourceName, int count = 50) => orchestrator.Runtime(resourceName).RecentLogs(count);

    private ProcessRuntime Process(string resourceName) =>
        orchestrator.Runtime(resourceName) as ProcessRuntime
            ?? throw new DistributedApplicationException($"'{resourceName}' is not a project or executable.");

    private ReplicaSupervisor Replica(string resourceName, int replica)
    {
        var replicas = Process(resourceName).Replicas;
        return replica >= 0 && replica < replicas.Count
            ? replicas[replica]
            : throw new ArgumentOutOfRangeException(nameof(replica), replica, $"'{resourceName}' has {replicas.Count} replica(s).");
    }

    private static InvalidOperationException NotStarted() => new("The application has not been started.");
}
