using Chat.TestInfrastructure.Servers;

namespace Chat.TestInfrastructure;

/// <summary>
/// One PostgreSQL, Redis and RabbitMQ per test process, started from the machine's binaries by the
/// launchers in Servers/ the first time a test asks, and stopped when the process exits (the
/// launchers' watchdogs also end them if the process is killed). Tests isolate by tenant.
/// </summary>
public sealed class TestServers
{
    private static readonly Lazy<Task<TestServers>> Instance = new(StartAsync);

    private TestServers(string root, PostgresServer postgres, RedisServer redis, RabbitMqServer rabbitMq)
    {
        Root = root;
        Postgres = postgres;
        Redis = redis;
        RabbitMq = rabbitMq;
    }

    public string Root { get; }

    public PostgresServer Postgres { get; }

    public RedisServer Redis { get; }

    public RabbitMqServer RabbitMq { get; }

    public static Task<TestServers> GetAsync() => Instance.Value;

    /// <summary>A fresh database for one service host under test.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)];
        await Postgres.CreateDatabaseAsync(name);
        return Postgres.ConnectionString(name);
    }

    private static async Task<TestServers> StartAsync()
    {
        var parent = Path.Combine(Path.GetTempPath(), "chat-tests");
        SweepStaleRuns(parent);
        var root = Path.Combine(parent, $"{Environment.ProcessId}-{Guid.NewGuid():N}"[..20]);
        Directory.CreateDirectory(root);
        var postgres = PostgresServer.StartAsync(new PostgresServerOptions(Path.Combine(root, "postgres"), Durable: false));
        var redis = RedisServer.StartAsync(new RedisServerOptions(Path.Combine(root, "redis"), Durable: false));
        var rabbitMq = RabbitMqServer.StartAsync(new RabbitMqServerOptions(Path.Combine(root, "rabbitmq")));
        var servers = new TestServers(root, await postgres, await redis, await rabbitMq);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => servers.Stop();
        return servers;
    }

    /// <summary>Deletes the data of earlier runs whose test process is gone (a killed test host can't clean up after itself).</summary>
    private static void SweepStaleRuns(string parent)
    {
        if (!Directory.Exists(parent))
        {
            return;
        }

        foreach (var run in Directory.GetDirectories(parent))
        {
            var pid = Path.GetFileName(run).Split('-')[0];
            if (int.TryParse(pid, out var id) && !Directory.Exists($"/proc/{id}"))
            {
                try
                {
                    Directory.Delete(run, recursive: true);
                }
                catch (IOException)
                {
                    // Still in use after all: the next run sweeps it.
                }
            }
        }
    }

    private void Stop()
    {
        Task.WhenAll(
            RabbitMq.DisposeAsync().AsTask(),
            Redis.DisposeAsync().AsTask(),
            Postgres.DisposeAsync().AsTask()).Wait(TimeSpan.FromSeconds(20));
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A server still flushing its files: the temp folder is left for the OS to clean.
        }
    }
}
