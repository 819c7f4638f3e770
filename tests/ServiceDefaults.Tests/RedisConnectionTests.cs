using Chat.ServiceDefaults.Caching;
using Chat.TestInfrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace Chat.ServiceDefaults.Tests;

public sealed class RedisConnectionTests
{
    [Fact]
    public async Task A_started_service_is_connected_to_redis_before_its_server_takes_requests()
    {
        var servers = await TestServers.GetAsync();
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:cache"] = servers.Redis.ConnectionString,
            ["OTEL_SERVICE_NAME"] = "redis-start-test",
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddServiceDefaults();
        await using var app = builder.Build();

        var startOrder = app.Services.GetServices<IHostedService>().Select(service => service.GetType()).ToList();
        var connects = startOrder.FindIndex(type => type.DeclaringType == typeof(RedisConnection));
        var serves = startOrder.FindIndex(type => type.Name == "GenericWebHostService");
        Assert.InRange(connects, 0, serves - 1);

        await app.StartAsync();
        var connection = app.Services.GetRequiredService<RedisConnection>().ConnectAsync();
        Assert.True(connection.IsCompletedSuccessfully);
        Assert.True((await connection).IsConnected);
        Assert.Same(await connection, app.Services.GetRequiredService<IConnectionMultiplexer>());
        await app.StopAsync();
    }
}
