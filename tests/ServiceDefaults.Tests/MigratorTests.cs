using Chat.ServiceDefaults.Data;
using Chat.TestInfrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Chat.ServiceDefaults.Tests;

public sealed class MigratorTests
{
    [Fact]
    public async Task Racing_replicas_apply_each_migration_exactly_once_in_order()
    {
        var servers = await TestServers.GetAsync();
        await using var dataSource = NpgsqlDataSource.Create(await servers.CreateDatabaseAsync("migr"));
        var assemblies = new[] { typeof(Migrator).Assembly, typeof(MigratorTests).Assembly };

        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            new Migrator(dataSource, NullLogger<Migrator>.Instance).MigrateAsync(assemblies, CancellationToken.None)));

        Assert.Equal(["0000_outbox_inbox", "0000_outbox_sweep_by_key", "0000_outbox_trace_parent", "0001_effects"], runs.SelectMany(applied => applied).ToArray());
        Assert.Empty(await new Migrator(dataSource, NullLogger<Migrator>.Instance).MigrateAsync(assemblies, CancellationToken.None));
        await using var command = dataSource.CreateCommand("SELECT string_agg(id, ',' ORDER BY id) FROM schema_migrations");
        Assert.Equal("0000_outbox_inbox,0000_outbox_sweep_by_key,0000_outbox_trace_parent,0001_effects", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_failing_migration_leaves_nothing_half_applied()
    {
        var servers = await TestServers.GetAsync();
        await using var dataSource = NpgsqlDataSource.Create(await servers.CreateDatabaseAsync("migr"));
        await using (var sabotage = dataSource.CreateCommand("CREATE TABLE effects (x int)"))
        {
            await sabotage.ExecuteNonQueryAsync();
        }

        var migrator = new Migrator(dataSource, NullLogger<Migrator>.Instance);
        await Assert.ThrowsAsync<PostgresException>(() =>
            migrator.MigrateAsync([typeof(Migrator).Assembly, typeof(MigratorTests).Assembly], CancellationToken.None));

        await using var command = dataSource.CreateCommand("SELECT string_agg(id, ',' ORDER BY id) FROM schema_migrations");
        Assert.Equal("0000_outbox_inbox,0000_outbox_sweep_by_key,0000_outbox_trace_parent", await command.ExecuteScalarAsync());
    }
}
