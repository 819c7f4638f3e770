using Chat.AppHost.Servers;
using Npgsql;

namespace Chat.AppHost.Tests.Servers;

public sealed class PostgresServerTests
{
    [Fact]
    public async Task Starts_creates_databases_idempotently_and_leaves_no_process_or_port_behind()
    {
        using var directory = new TempDirectory();
        var server = await PostgresServer.StartAsync(new PostgresServerOptions(directory.Path, Durable: false));
        var (pid, port) = (server.ProcessId, server.Port);
        await using (server)
        {
            await server.CreateDatabaseAsync("groupsdb");
            await server.CreateDatabaseAsync("groupsdb");

            Assert.StartsWith($"Host=127.0.0.1;Port={port};Username=postgres;Database=groupsdb", server.ConnectionString("groupsdb"));
            await using var connection = new NpgsqlConnection(server.ConnectionString("groupsdb") + ";Pooling=false");
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT current_database()", connection);
            Assert.Equal("groupsdb", await command.ExecuteScalarAsync());
        }

        Assert.False(ProcessTable.IsAlive(pid));
        Assert.False(await LoopbackPorts.IsListeningAsync(port));
    }

    [Fact]
    public async Task A_second_start_on_the_same_directory_keeps_the_data()
    {
        using var directory = new TempDirectory();
        await using (var first = await PostgresServer.StartAsync(new PostgresServerOptions(directory.Path, Durable: false)))
        {
            await first.CreateDatabaseAsync("kept");
        }

        await using var second = await PostgresServer.StartAsync(new PostgresServerOptions(directory.Path, Durable: false));
        await using var connection = new NpgsqlConnection(second.ConnectionString("kept") + ";Pooling=false");
        await connection.OpenAsync();
        Assert.Equal(System.Data.ConnectionState.Open, connection.State);
    }
}
