using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Chat.AppHost;

/// <summary>
/// Once the gateway is ready: says where it listens, and writes <c>endpoints.json</c> to the data folder with every
/// replica's own addresses, for local tools (the benchmarks drive the gateway and each service directly, past DCP's proxy).
/// </summary>
public static class LocalEndpoints
{
    public const string FileName = "endpoints.json";

    public static IResourceBuilder<ProjectResource> WithLocalEndpointsFile(
        this IResourceBuilder<ProjectResource> gateway, string dataDirectory, params IResourceBuilder<ProjectResource>[] services)
    {
        gateway.ApplicationBuilder.Eventing.Subscribe<ResourceReadyEvent>(gateway.Resource, async (ready, cancellationToken) =>
        {
            var address = gateway.Resource.GetEndpoint("http").Url;
            var replicas = ready.Services.GetRequiredService<ReplicaAddresses>();
            JsonArray AddressesOf(IResource service, string endpoint) => [.. replicas.Of(service, endpoint).Select(url => JsonValue.Create(url))];
            var endpoints = new JsonObject { ["gateway"] = address };
            foreach (var service in services)
            {
                endpoints[service.Resource.Name] = new JsonObject
                {
                    ["http"] = AddressesOf(service.Resource, "http"),
                    ["h2c"] = AddressesOf(service.Resource, "h2c"),
                };
            }

            await File.WriteAllTextAsync(Path.Combine(dataDirectory, FileName), endpoints.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n", cancellationToken);
            ready.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Chat.AppHost")
                .LogInformation("The gateway is ready at {Address}", address);
        });
        return gateway;
    }
}
