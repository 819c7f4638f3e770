using System.Net;
using System.Net.Sockets;
using Chat.Gateway.Routing;
using Microsoft.Extensions.Configuration;

namespace Chat.Gateway.Tests.Routing;

public class ServiceDiscoveryTests
{
    [Fact]
    public void A_service_name_resolves_to_its_http_endpoints_in_index_order()
    {
        var configuration = Configuration(new()
        {
            ["services:groups:http:1"] = "http://127.0.0.1:5002/",
            ["services:groups:http:0"] = "http://127.0.0.1:5001",
            ["services:groups:https:0"] = "https://127.0.0.1:7001",
        });

        Assert.Equal([Http11("http://127.0.0.1:5001"), Http11("http://127.0.0.1:5002")], ServiceDiscovery.Resolve("http://groups", configuration));
    }

    [Fact]
    public void Https_endpoints_serve_when_there_is_no_http_one() =>
        Assert.Equal(
            [Http11("https://127.0.0.1:7001")],
            ServiceDiscovery.Resolve("http://groups", Configuration(new() { ["services:groups:https:0"] = "https://127.0.0.1:7001" })));

    [Fact]
    public void Https_plus_http_prefers_https() =>
        Assert.Equal(
            [Http11("https://127.0.0.1:7001")],
            ServiceDiscovery.Resolve(
                "https+http://groups",
                Configuration(new() { ["services:groups:http:0"] = "http://127.0.0.1:5001", ["services:groups:https:0"] = "https://127.0.0.1:7001" })));

    [Fact]
    public void A_path_in_the_destination_address_is_kept() =>
        Assert.Equal(
            [Http11("http://127.0.0.1:5001/base")],
            ServiceDiscovery.Resolve("http://groups/base/", Configuration(new() { ["services:groups:http:0"] = "http://127.0.0.1:5001" })));

    [Fact]
    public void Without_discovery_configuration_the_address_is_used_as_it_is() =>
        Assert.Equal([Http11("http://groups")], ServiceDiscovery.Resolve("http://groups", Configuration(new())));

    [Fact]
    public void A_service_with_h2c_endpoints_is_spoken_to_there_in_http2_one_destination_per_instance()
    {
        var configuration = Configuration(new()
        {
            ["services:groups:http:0"] = "http://127.0.0.1:5001",
            ["services:groups:h2c:0"] = "http://127.0.0.1:6001",
            ["services:groups:h2c:1"] = "http://127.0.0.1:6002",
        });

        var destinations = ServiceDiscovery.Resolve("http://groups/base", configuration).ToArray();

        Assert.Equal([Destination.H2c("http://127.0.0.1:6001/base"), Destination.H2c("http://127.0.0.1:6002/base")], destinations);
        Assert.All(destinations, destination => Assert.Equal(HttpVersionPolicy.RequestVersionExact, destination.VersionPolicy));
    }

    [Fact]
    public void An_address_that_asks_for_https_is_never_sent_to_an_h2c_endpoint() =>
        Assert.Equal(
            [Http11("https://127.0.0.1:7001")],
            ServiceDiscovery.Resolve(
                "https+http://groups",
                Configuration(new() { ["services:groups:h2c:0"] = "http://127.0.0.1:6001", ["services:groups:https:0"] = "https://127.0.0.1:7001" })));

    [Fact]
    public void A_cluster_with_several_destinations_uses_them_in_turn()
    {
        var cluster = new Cluster("groups", [Http11("http://a"), Http11("http://b")]);

        var picks = Enumerable.Range(0, 4).Select(_ => cluster.NextDestination().BaseAddress).ToArray();

        Assert.Equal(2, picks.Count(pick => pick == "http://a"));
        Assert.Equal(2, picks.Count(pick => pick == "http://b"));
    }

    [Fact]
    public void A_destination_that_refused_a_connection_is_passed_over_until_its_pause_ends()
    {
        var clock = new ManualClock();
        var (a, b) = (Http11("http://a"), Http11("http://b"));
        var cluster = new Cluster("groups", [a, b], clock);

        cluster.ReportUnreachable(a);
        var duringPause = Enumerable.Range(0, 4).Select(_ => cluster.NextDestination()).ToArray();
        clock.Advance(Cluster.UnreachablePause);
        var afterPause = Enumerable.Range(0, 4).Select(_ => cluster.NextDestination()).ToArray();

        Assert.All(duringPause, pick => Assert.Equal(b, pick));
        Assert.Equal(2, afterPause.Count(pick => pick == a));
    }

    [Fact]
    public void When_every_destination_refused_one_is_still_tried()
    {
        var (a, b) = (Http11("http://a"), Http11("http://b"));
        var cluster = new Cluster("groups", [a, b], new ManualClock());

        cluster.ReportUnreachable(a);
        cluster.ReportUnreachable(b);

        Assert.Contains(cluster.NextDestination(), new[] { a, b });
    }

    [Fact]
    public async Task An_h2c_destination_named_by_dns_stands_for_every_address_of_the_name()
    {
        var cluster = new Cluster("groups", [Destination.H2c("http://groups-h2c:8081/base"), Http11("http://other")]);
        IPAddress[] answer = [IPAddress.Parse("10.0.0.2"), IPAddress.Parse("fd00::1"), IPAddress.Parse("10.0.0.1")];

        await cluster.RefreshAsync((name, _) => Task.FromResult(name == "groups-h2c" ? answer : []), CancellationToken.None);

        Assert.Equal(
            [
                Destination.H2c("http://10.0.0.1:8081/base"),
                Destination.H2c("http://10.0.0.2:8081/base"),
                Destination.H2c("http://[fd00::1]:8081/base"),
                Http11("http://other"),
            ],
            cluster.Destinations);
        Assert.True(cluster.ResolvesNames);
    }

    [Fact]
    public async Task Pods_that_come_and_go_are_used_and_dropped_and_a_failed_lookup_keeps_what_was_there()
    {
        var cluster = new Cluster("messaging", [Destination.H2c("http://messaging-h2c:8081")]);
        IPAddress[] answer = [IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2")];
        Task<IPAddress[]> Resolve(string name, CancellationToken cancellationToken) => Task.FromResult(answer);

        await cluster.RefreshAsync(Resolve, CancellationToken.None);
        answer = [IPAddress.Parse("10.0.0.2"), IPAddress.Parse("10.0.0.3")];
        await cluster.RefreshAsync(Resolve, CancellationToken.None);
        await Assert.ThrowsAsync<SocketException>(() => cluster.RefreshAsync((_, _) => throw new SocketException((int)SocketError.HostNotFound), CancellationToken.None));

        Assert.Equal([Destination.H2c("http://10.0.0.2:8081"), Destination.H2c("http://10.0.0.3:8081")], cluster.Destinations);
        Assert.Equal(2, Enumerable.Range(0, 4).Select(_ => cluster.NextDestination()).Distinct().Count());
    }

    [Fact]
    public async Task Until_a_name_has_addresses_the_name_itself_is_used_and_literal_and_http11_addresses_are_never_resolved()
    {
        var asked = new List<string>();
        var cluster = new Cluster(
            "groups", [Destination.H2c("http://groups-h2c:8081"), Destination.H2c("http://127.0.0.1:6001"), Http11("http://groups")]);

        await cluster.RefreshAsync((name, _) => { asked.Add(name); return Task.FromResult<IPAddress[]>([]); }, CancellationToken.None);

        Assert.Equal(["groups-h2c"], asked);
        Assert.Equal([Destination.H2c("http://groups-h2c:8081"), Destination.H2c("http://127.0.0.1:6001"), Http11("http://groups")], cluster.Destinations);
        Assert.False(new Cluster("groups", [Http11("http://groups")]).ResolvesNames);
    }

    private static Destination Http11(string address) => Destination.Http11(address);

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    private sealed class ManualClock : TimeProvider
    {
        private long now = 1_000_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => now;

        public void Advance(TimeSpan by) => now += by.Ticks;
    }
}
