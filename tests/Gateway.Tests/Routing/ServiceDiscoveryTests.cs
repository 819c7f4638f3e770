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

        Assert.Equal(["http://127.0.0.1:5001", "http://127.0.0.1:5002"], ServiceDiscovery.Resolve("http://groups", configuration));
    }

    [Fact]
    public void Https_endpoints_serve_when_there_is_no_http_one() =>
        Assert.Equal(
            ["https://127.0.0.1:7001"],
            ServiceDiscovery.Resolve("http://groups", Configuration(new() { ["services:groups:https:0"] = "https://127.0.0.1:7001" })));

    [Fact]
    public void Https_plus_http_prefers_https() =>
        Assert.Equal(
            ["https://127.0.0.1:7001"],
            ServiceDiscovery.Resolve(
                "https+http://groups",
                Configuration(new() { ["services:groups:http:0"] = "http://127.0.0.1:5001", ["services:groups:https:0"] = "https://127.0.0.1:7001" })));

    [Fact]
    public void A_path_in_the_destination_address_is_kept() =>
        Assert.Equal(
            ["http://127.0.0.1:5001/base"],
            ServiceDiscovery.Resolve("http://groups/base/", Configuration(new() { ["services:groups:http:0"] = "http://127.0.0.1:5001" })));

    [Fact]
    public void Without_discovery_configuration_the_address_is_used_as_it_is() =>
        Assert.Equal(["http://groups"], ServiceDiscovery.Resolve("http://groups", Configuration(new())));

    [Fact]
    public void A_cluster_with_several_destinations_uses_them_in_turn()
    {
        var cluster = new Cluster("groups", ["http://a", "http://b"]);

        var picks = Enumerable.Range(0, 4).Select(_ => cluster.NextDestination()).ToArray();

        Assert.Equal(2, picks.Count(pick => pick == "http://a"));
        Assert.Equal(2, picks.Count(pick => pick == "http://b"));
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
