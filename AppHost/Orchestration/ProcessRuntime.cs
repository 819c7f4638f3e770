using Chat.AppHost.Hosting;
using Chat.AppHost.Servers;
using Microsoft.Extensions.Logging;

namespace Chat.AppHost.Orchestration;

/// <summary>
/// A project or executable: waits for what it WaitFor's, then runs its replicas, each on its own
/// port. With one replica the endpoint is that replica; with several, a <see cref="ReplicaProxy"/>
/// holds the endpoint and spreads connections over them. A project that serves h2c has one more port
/// per replica for it, reached directly (<see cref="H2cEndpoints"/>).
/// </summary>
internal sealed class ProcessRuntime : ResourceRuntime
{
    private readonly ProcessResource resource;
    private readonly ReplicaSupervisor[] replicas;
    private readonly ILogger logger;
    private ReplicaProxy? proxy;
    private ResourceState phase = ResourceState.Waiting;
    private string? error;
    private bool launched;

    /// <param name="prepare">Builds the start description of replica n (its index and bind address).</param>
    public ProcessRuntime(
        ProcessResource resource,
        Func<int, Uri, ChildProcessSpec> prepare,
        HttpClient healthClient,
        ResourceNotificationService notifications,
        ILogger logger)
        : base(resource, notifications)
    {
        this.resource = resource;
        this.logger = logger;
        var fixedPort = resource.HttpPort is > 0 ? resource.HttpPort : null;
        var proxied = resource.Replicas > 1;
        var ports = LoopbackPorts.Free(resource.Replicas + (proxied && fixedPort is null ? 1 : 0));
        H2cEndpoints = resource is ProjectResource { ServesH2c: true }
            ? [.. LoopbackPorts.Free(resource.Replicas).Select(port => Address(port, publicFace: false))]
            : [];

        // A fixed port is a public face (the gateway's http://localhost:8004): bind localhost, IPv4 and IPv6.
        Endpoint = proxied
            ? Address(fixedPort ?? ports[^1], fixedPort is not null)
            : Address(fixedPort ?? ports[0], fixedPort is not null);
        replicas = Enumerable.Range(0, resource.Replicas)
            .Select(index =>
            {
                var url = proxied ? Address(ports[index], publicFace: false) : Endpoint;
                return new ReplicaSupervisor(resource.Name, index, url, () => prepare(index, url), healthClient, NotifyChanged, logger);
            })
            .ToArray();
    }

    public Uri Endpoint { get; }

    /// <summary>Each replica's HTTP/2-without-TLS endpoint, by replica index; empty unless the project serves h2c.</summary>
    public IReadOnlyList<Uri> H2cEndpoints { get; }

    public IReadOnlyList<ReplicaSupervisor> Replicas => replicas;

    /// <summary>Waits for the dependencies, then starts every replica (and the proxy).</summary>
    public async Task LaunchAsync(ResourceNotificationService notifications, CancellationToken stopping)
    {
        try
        {
            foreach (var dependency in resource.WaitsFor)
            {
                await notifications.WaitForResourceHealthyAsync(dependency.Name, stopping);
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (DistributedApplicationException e)
        {
            error = e.Message;
            phase = ResourceState.FailedToStart;
            NotifyChanged();
            return;
        }

        if (replicas.Length > 1)
        {
            proxy = ReplicaProxy.Start(Endpoint.Port, Endpoint.Host == "localhost", RoutablePorts, logger);
        }

        launched = true;
        foreach (var replica in replicas)
        {
            replica.Start();
        }
    }

    public async Task StopAsync()
    {
        phase = ResourceState.Stopped;
        await Task.WhenAll(replicas.Select(replica => replica.StopAsync()));
        if (proxy is not null)
        {
            await proxy.DisposeAsync();
        }

        NotifyChanged();
    }

    public override ResourceSnapshot Snapshot()
    {
        var states = replicas.Select(replica => replica.Snapshot()).ToArray();
        var state = launched ? Aggregate(states) : phase;
        var health = states.Length == 1
            ? states[0].Health
            : $"{states.Count(replica => replica.State == ResourceState.Healthy)}/{states.Length} healthy";
        return new ResourceSnapshot(
            Name,
            KindOf(Resource),
            state,
            Endpoint.GetLeftPart(UriPartial.Authority),
            health,
            states.Sum(replica => replica.Restarts),
            states.Where(replica => replica.ProcessId is not null).Select(replica => replica.ProcessId!.Value).ToArray(),
            states,
            error ?? replicas.Select(replica => replica.Error).FirstOrDefault(message => message is not null));
    }

    public override void Dispose()
    {
        foreach (var replica in replicas)
        {
            replica.Dispose();
        }
    }

    public override IReadOnlyList<LogLine> RecentLogs(int count) =>
        replicas.SelectMany(replica => replica.Logs.Tail(count)).OrderBy(line => line.Timestamp).TakeLast(count).ToArray();

    private static ResourceState Aggregate(IReadOnlyList<ReplicaSnapshot> states)
    {
        bool Any(ResourceState state) => states.Any(replica => replica.State == state);
        return states.All(replica => replica.State == ResourceState.Healthy) ? ResourceState.Healthy
            : Any(ResourceState.FailedToStart) ? ResourceState.FailedToStart
            : states.All(replica => replica.State == ResourceState.Stopped) ? ResourceState.Stopped
            : Any(ResourceState.Stopping) ? ResourceState.Stopping
            : Any(ResourceState.Restarting) || Any(ResourceState.Exited) ? ResourceState.Restarting
            : Any(ResourceState.Unhealthy) ? ResourceState.Unhealthy
            : Any(ResourceState.Starting) ? ResourceState.Starting
            : ResourceState.Running;
    }

    private static Uri Address(int port, bool publicFace) => new($"http://{(publicFace ? "localhost" : "127.0.0.1")}:{port}");

    /// <summary>The healthy replicas' ports, or every replica's while none is healthy.</summary>
    private IReadOnlyList<int> RoutablePorts()
    {
        var healthy = replicas.Where(replica => replica.State == ResourceState.Healthy).Select(replica => replica.Url.Port).ToArray();
        return healthy.Length > 0 ? healthy : replicas.Select(replica => replica.Url.Port).ToArray();
    }
}
