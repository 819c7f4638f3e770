using System.Net.Http.Headers;
using Chat.TestInfrastructure;
using Npgsql;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Chat.EndToEnd.Tests;

/// <summary>The whole platform, started from the AppHost's own model by Aspire.Hosting.Testing, reached through the gateway.</summary>
public sealed class SuiteFixture : IAsyncLifetime
{
    /// <summary>Messaging runs as two replicas, so a test can kill one while the other serves.</summary>
    public const int MessagingReplicas = 2;

    /// <summary>Given to the AppHost, so a test can see configuration reach every replica.</summary>
    public const string TraceSampleRatio = "0.25";

    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "chat-e2e", Guid.NewGuid().ToString("N")[..12]);

    public string JwtSecret { get; } = Guid.NewGuid().ToString("N");

    public DistributedApplication App { get; private set; } = null!;

    public Uri Gateway { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
        [
            $"--Data:Directory={dataDirectory}",
            "--Data:Durable=false",
            "--Gateway:Port=0",
            $"--Messaging:Replicas={MessagingReplicas}",
            $"--Telemetry:TraceSampleRatio={TraceSampleRatio}",
            $"--Apps:Default:JwtSecret={JwtSecret}",
        ]);
        App = await builder.BuildAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        await App.StartAsync(timeout.Token);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("gateway", timeout.Token);
        foreach (var service in new[] { "groups", "messaging", "knowledge", "aibot" })
        {
            foreach (var replica in await ReplicasAsync(service, timeout.Token))
            {
                await WaitUntilFullyHealthyAsync(replica.Http, timeout.Token);
            }
        }

        Gateway = App.GetEndpoint("gateway", "http");
    }

    /// <summary>Each running replica of a project: its resource id, process id, own HTTP address (not the proxy's) and environment.</summary>
    public async Task<IReadOnlyList<Replica>> ReplicasAsync(string project, CancellationToken cancellationToken)
    {
        var expected = project == "messaging" ? MessagingReplicas : 1;
        var replicas = new Dictionary<string, Replica>(StringComparer.Ordinal);
        using var watch = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await foreach (var update in App.ResourceNotifications.WatchAsync(watch.Token))
        {
            if (update.Resource.Name != project)
            {
                continue;
            }

            var snapshot = update.Snapshot;
            var pid = snapshot.Properties.FirstOrDefault(property => property.Name == "executable.pid")?.Value;
            var environment = snapshot.EnvironmentVariables.Where(variable => variable.Value is not null)
                .ToDictionary(variable => variable.Name, variable => variable.Value!, StringComparer.Ordinal);
            // A service's own HTTP endpoint; the gateway, whose one endpoint Kestrel takes from ASPNETCORE_URLS, its URL.
            var http = environment.GetValueOrDefault("Kestrel__Endpoints__http__Url") ?? environment.GetValueOrDefault("ASPNETCORE_URLS");
            if (snapshot.State?.Text == KnownResourceStates.Running && pid is not null && http is not null)
            {
                replicas[update.ResourceId] = new Replica(update.ResourceId, Convert.ToInt32(pid, System.Globalization.CultureInfo.InvariantCulture), new Uri(http), environment);
            }
            else
            {
                replicas.Remove(update.ResourceId);
            }

            if (replicas.Count == expected)
            {
                break;
            }
        }

        return [.. replicas.Values.OrderBy(replica => replica.Http.Port)];
    }

    /// <summary>
    /// A service is ready (200) as soon as its database is; its bus may still be connecting (Degraded), and an event
    /// published before the consumers' queues are bound would have no queue to land in.
    /// </summary>
    public static async Task WaitUntilFullyHealthyAsync(Uri service, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = service };
        while (true)
        {
            try
            {
                using var response = await client.GetAsync("/health", cancellationToken);
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                if (response.IsSuccessStatusCode && body.StartsWith("{\"status\":\"Healthy\"", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // A replica being restarted refuses connections for a moment.
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>A client of the gateway carrying a Chat21 JWT of the default app, in Chat21's own header form.</summary>
    public HttpClient Chat21Client(string userId, string[]? roles = null)
    {
        var client = new HttpClient { BaseAddress = Gateway };
        var token = TestIdentity.Jwt(JwtSecret, "default", userId, roles: roles);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("JWT", token);
        return client;
    }

    public async Task<NpgsqlDataSource> DatabaseAsync(string name) =>
        NpgsqlDataSource.Create(await App.GetConnectionStringAsync(name) ?? throw new InvalidOperationException($"{name} has no connection string."));

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A server still flushing: the OS cleans the temp folder.
        }
    }
}

public sealed record Replica(string ResourceId, int ProcessId, Uri Http, IReadOnlyDictionary<string, string> Environment);

[CollectionDefinition(Name)]
public sealed class SuiteCollection : ICollectionFixture<SuiteFixture>
{
    public const string Name = "suite";
}
