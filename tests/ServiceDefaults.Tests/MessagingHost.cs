using Chat.Contracts;
using Chat.ServiceDefaults.Data;
using Chat.ServiceDefaults.Messaging;
using Chat.TestInfrastructure;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Chat.ServiceDefaults.Tests;

/// <summary>A host wired like a service: its own database with the outbox and inbox, the real broker, one consumer.</summary>
public sealed class MessagingHost : IAsyncDisposable
{
    private MessagingHost(IHost host, string connectionString)
    {
        Host = host;
        ConnectionString = connectionString;
    }

    public IHost Host { get; }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource => Host.Services.GetRequiredService<NpgsqlDataSource>();

    public static async Task<MessagingHost> StartAsync(TestServers servers)
    {
        var (host, connectionString) = await BuildAsync(servers);
        await host.StartAsync();
        // Published events only reach a queue once it is bound: wait for the bus's endpoints to be ready.
        var health = await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
        if (health != BusHealthStatus.Healthy)
        {
            throw new InvalidOperationException($"The test host's bus did not become healthy: {health}");
        }

        return new MessagingHost(host, connectionString);
    }

    /// <summary>The host, not started, on a database of its own; <paramref name="services"/> adds to its registrations.</summary>
    public static async Task<(IHost Host, string ConnectionString)> BuildAsync(TestServers servers, Action<IServiceCollection>? services = null)
    {
        var connectionString = await servers.CreateDatabaseAsync("sdtest");
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:sdtest"] = connectionString,
            ["ConnectionStrings:cache"] = servers.Redis.ConnectionString,
            ["ConnectionStrings:messaging-bus"] = servers.RabbitMq.ConnectionString,
            ["OTEL_SERVICE_NAME"] = $"sdtest-{Guid.NewGuid():N}"[..15],
        });
        builder.AddServiceDefaults();
        builder.AddServiceDatabase("sdtest", typeof(MessagingHost).Assembly);
        builder.AddServiceBus(bus => bus.AddConsumer<RecordingConsumer>());
        services?.Invoke(builder.Services);
        return (builder.Build(), connectionString);
    }

    /// <summary>
    /// Changes "state" and enqueues its event in one transaction, committing or not; a committed event is handed to the
    /// dispatcher unless <paramref name="handOver"/> is false (as when the process dies between its commit and the hand-over).
    /// </summary>
    public async Task WriteAsync(GroupUpdated integrationEvent, bool commit = true, bool handOver = true)
    {
        var events = new OutboxEvents();
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var batch = new NpgsqlBatch(connection, transaction) { BatchCommands = { events.Add(integrationEvent) } })
        {
            await batch.ExecuteNonQueryAsync();
        }

        if (commit)
        {
            await transaction.CommitAsync();
            if (handOver)
            {
                Host.Services.GetRequiredService<Outbox>().Send(events);
            }
        }
        else
        {
            await transaction.RollbackAsync();
        }
    }

    public async Task<long> CountAsync(string sql, string appId)
    {
        await using var command = DataSource.CreateCommand(sql);
        command.Parameters.Add(new() { Value = appId });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public Task<long> EffectsAsync(string appId) => CountAsync("SELECT count(*) FROM effects WHERE app_id = $1", appId);

    public async Task<long> PendingOutboxAsync()
    {
        await using var command = DataSource.CreateCommand("SELECT count(*) FROM outbox_messages");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
    }

    public static GroupUpdated Event(string appId, long version) => new()
    {
        AppId = appId,
        GroupId = "g1",
        Name = $"v{version}",
        ChangedBy = "tester",
        Version = version,
    };
}

/// <summary>Records each application of a <see cref="GroupUpdated"/> as a row, in the inbox's transaction.</summary>
public sealed class RecordingConsumer(NpgsqlDataSource dataSource) : IdempotentConsumer<GroupUpdated>(dataSource)
{
    protected override async Task HandleAsync(ConsumeContext<GroupUpdated> context, NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        await using var command = new NpgsqlCommand("INSERT INTO effects (app_id, group_id, version) VALUES ($1, $2, $3)", connection, transaction)
        {
            Parameters = { new() { Value = context.Message.AppId }, new() { Value = context.Message.GroupId }, new() { Value = context.Message.Version } },
        };
        await command.ExecuteNonQueryAsync(context.CancellationToken);
    }
}
