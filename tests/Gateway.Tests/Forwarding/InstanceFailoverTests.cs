using System.Net;
using System.Net.Http.Json;
using Chat.Gateway.Routing;
using Chat.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Chat.Gateway.Tests.Forwarding;

/// <summary>A service with several instances, one of which refuses connections (a replica restarting).</summary>
public sealed class InstanceFailoverTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Requests_an_instance_refuses_go_to_the_next_with_their_bodies(bool h2c)
    {
        var protocol = h2c ? "h2c" : "http";
        await using var gateway = await GatewayHost.StartAsync(h2c: h2c, configure: settings =>
        {
            settings[$"services:groups:{protocol}:1"] = settings[$"services:groups:{protocol}:0"];
            settings[$"services:groups:{protocol}:0"] = GatewayHost.DeadAddress();
        });

        for (var i = 0; i < 6; i++)
        {
            using var response = await gateway.Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/default/groups")
            {
                Headers = { { "Authorization", $"JWT {TestTokens.ForUser()}" } },
                Content = JsonContent.Create(new { group_name = $"g{i}" }),
            });

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True((await Echo.ReadAsync(response)).BodyLength > 0);
        }

        Assert.Equal(6, gateway.Upstream.Requests);
        Assert.Equal(h2c ? "HTTP/2" : "HTTP/1.1", gateway.Upstream.LastProtocol);
    }

    [Fact]
    public async Task A_service_whose_every_instance_refuses_is_502()
    {
        await using var gateway = await GatewayHost.StartAsync(h2c: true, configure: settings =>
        {
            settings["services:groups:h2c:0"] = GatewayHost.DeadAddress();
            settings["services:groups:h2c:1"] = GatewayHost.DeadAddress();
        });

        using var response = await gateway.Client.SendAsync(StreamingTests.Get("/api/default/groups/g1"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(0, gateway.Upstream.Requests);
    }

    [Fact]
    public async Task An_h2c_service_named_by_dns_is_reached_at_its_addresses()
    {
        await using var gateway = await GatewayHost.StartAsync(h2c: true, configure: settings =>
            settings["services:groups:h2c:0"] = $"http://localhost:{new Uri(settings["services:groups:h2c:0"]!).Port}");

        var cluster = gateway.GatewayServices.GetRequiredService<RouteTable>().Clusters.Single(cluster => cluster.Id == "groups");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (cluster.Destinations.Any(destination => destination.BaseAddress.Contains("localhost", StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, "localhost was not resolved");
            await Task.Delay(20);
        }

        // localhost may resolve to ::1 too, where nothing listens: that address is passed over once it refuses.
        Assert.Contains(cluster.Destinations, destination => destination.BaseAddress.StartsWith("http://127.0.0.1:", StringComparison.Ordinal));
        for (var i = 0; i < 4; i++)
        {
            using var response = await gateway.Client.SendAsync(StreamingTests.Get("/api/default/groups/g1"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(4, gateway.Upstream.Requests);
        Assert.Equal("HTTP/2", gateway.Upstream.LastProtocol);
    }
}
