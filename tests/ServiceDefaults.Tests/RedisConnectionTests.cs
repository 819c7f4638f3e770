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
        var name = $"redis-start-{Guid.NewGuid():N}";
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:cache"] = servers.Redis.ConnectionString,
            ["OTEL_SERVICE_NAME"] = name,
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddServiceDefaults();
        await using var app = builder.Build();

        var startOrder = app.Services.GetServices<IHostedService>().Select(service => service.GetType().Name).ToList();
        Assert.InRange(startOrder.IndexOf("AutoActivationHostedService"), 0, startOrder.IndexOf("GenericWebHostService") - 1);

        await app.StartAsync();
        // Asked of Redis before anything here resolves the connection: the start made it.
        await using (var probe = await ConnectionMultiplexer.ConnectAsync($"{servers.Redis.ConnectionString},allowAdmin=true"))
        {
            var clients = await probe.GetServer(probe.GetEndPoints()[0]).ClientListAsync();
            Assert.Contains(clients, client => client.Name == name);
        }

        Assert.True(app.Services.GetRequiredService<IConnectionMultiplexer>().IsConnected);
        await app.StopAsync();
    }
}
