using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Chat.AppHost;

/// <summary>
/// Each replica's own address of a project endpoint. Aspire puts a proxy in front of a project's replicas that spreads
/// connections; the gateway speaks HTTP/2 to the services, one connection carrying every request, so through that proxy all
/// of a service's traffic would land on whichever replica the one connection reached. Each replica is told its port in its
/// Kestrel endpoint's URL, which its snapshot shows once it runs; this keeps the newest snapshot of every replica.
/// </summary>
public sealed class ReplicaAddresses(ResourceNotificationService notifications) : BackgroundService
{
    private readonly ConcurrentDictionary<string, ResourceEvent> replicas = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Of(IResource project, string endpointName)
    {
        var variable = $"Kestrel__Endpoints__{endpointName}__Url";
        return replicas.Values
            .Where(replica => replica.Resource == project && replica.Snapshot.State?.Text == KnownResourceStates.Running)
            .Select(replica => replica.Snapshot.EnvironmentVariables.FirstOrDefault(environment => environment.Name == variable)?.Value)
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var update in notifications.WatchAsync(stoppingToken))
        {
            if (update.Resource is ProjectResource)
            {
                replicas[update.ResourceId] = update;
            }
        }
    }
}

public static class ReplicaAddressesExtensions
{
    public static IDistributedApplicationBuilder AddReplicaAddresses(this IDistributedApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ReplicaAddresses>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ReplicaAddresses>());
        return builder;
    }

    /// <summary>
    /// Gives <paramref name="caller"/> every replica of <paramref name="service"/>'s <paramref name="endpointName"/> endpoint as
    /// <c>services__&lt;service&gt;__&lt;endpoint&gt;__N</c> (service discovery's form) in place of the proxy's one address.
    /// Evaluated when the caller starts, after it has waited for the service, so every replica runs by then.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithReplicaAddresses(
        this IResourceBuilder<ProjectResource> caller, IResourceBuilder<ProjectResource> service, string endpointName) =>
        caller.WithEnvironment(context =>
        {
            if (!context.ExecutionContext.IsRunMode)
            {
                return;
            }

            var addresses = context.ExecutionContext.Services.GetRequiredService<ReplicaAddresses>().Of(service.Resource, endpointName);
            for (var index = 0; index < addresses.Count; index++)
            {
                context.EnvironmentVariables[$"services__{service.Resource.Name}__{endpointName}__{index}"] = addresses[index];
            }
        });
}
