using Chat.ServiceDefaults.Data;
using Chat.TestInfrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Chat.ServiceDefaults.Tests.Data;

public sealed class ConnectionDefaultsTests
{
    [Fact]
    public async Task A_service_connection_plans_once_per_statement_and_never_compiles_queries()
    {
        var servers = await TestServers.GetAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:defaults"] = await servers.CreateDatabaseAsync("defaults"),
        });
        builder.AddServiceDatabase("defaults", typeof(ConnectionDefaultsTests).Assembly);
        using var host = builder.Build();
        await using var connection = await host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();

        Assert.Equal("force_generic_plan", await ShowAsync(connection, "plan_cache_mode"));
        Assert.Equal("off", await ShowAsync(connection, "jit"));
    }

    private static async Task<string> ShowAsync(NpgsqlConnection connection, string setting)
    {
        await using var command = new NpgsqlCommand($"SHOW {setting}", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
