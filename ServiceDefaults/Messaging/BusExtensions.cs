using System.Text.Json;
using Chat.Contracts;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Chat.ServiceDefaults.Messaging;

public static class BusExtensions
{
    public const string ConnectionName = "messaging-bus";

    /// <summary>
    /// MassTransit on RabbitMQ from <c>ConnectionStrings:messaging-bus</c> (an <c>amqp://</c> URI), with
    /// kebab-case endpoints named after the service, message retry then error queues, the bus's
    /// readiness check, and the outbox dispatcher. Consumers are added by <paramref name="configureConsumers"/>.
    /// </summary>
    public static IHostApplicationBuilder AddServiceBus(
        this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator>? configureConsumers = null)
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionName} is not configured.");
        var broker = new Uri(connectionString);
        var serviceName = Extensions.ServiceName(builder);

        builder.Services.AddSingleton<Outbox>();
        builder.Services.AddHostedService<OutboxDispatcher>();
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            "rabbitmq", _ => new RabbitMqHealthCheck(broker), HealthStatus.Degraded, [HealthTags.Ready]));

        builder.Services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(prefix: serviceName, includeNamespace: false));
            // A broker outage degrades a service, it doesn't make it unready: the outbox keeps accepting
            // writes, so pulling the pod out of its Service would turn a delay into an outage.
            bus.ConfigureHealthCheckOptions(health =>
            {
                health.Name = "masstransit-bus";
                health.MinimalFailureStatus = HealthStatus.Degraded;
                health.Tags.Add(HealthTags.Ready);
            });
            configureConsumers?.Invoke(bus);
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(broker, host =>
                {
                    var credentials = broker.UserInfo.Split(':', 2);
                    host.Username(Uri.UnescapeDataString(credentials[0].Length > 0 ? credentials[0] : "guest"));
                    host.Password(Uri.UnescapeDataString(credentials.Length > 1 ? credentials[1] : "guest"));
                    host.Heartbeat(TimeSpan.FromSeconds(10));
                });
                // Only concrete events get exchanges; the shared base type is not a contract of its own.
                rabbit.Publish<IntegrationEvent>(publish => publish.Exclude = true);
                // MassTransit's serializer writes envelopes indented by default: a MessageSent envelope took 1,424 bytes that
                // way and takes 1,212 without (every one is written to the broker's socket). The options are process-wide and
                // turn read-only once used, so a bus configured after another has sent (a second host in one process) gets a copy.
                rabbit.ConfigureJsonSerializerOptions(options => new JsonSerializerOptions(options) { WriteIndented = false });
                rabbit.UseMessageRetry(retry => retry.Exponential(5, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(200)));
                rabbit.ConfigureEndpoints(context);
            });
        });
        // After MassTransit's hosted service, so it stops first: see BusStartCompletion.
        builder.Services.AddSingleton<BusStartCompletion>();
        builder.Services.AddBusObserver(provider => provider.GetRequiredService<BusStartCompletion>());
        builder.Services.AddHostedService(provider => provider.GetRequiredService<BusStartCompletion>());
        builder.Services.Configure<MassTransitHostOptions>(options =>
        {
            // A broker that is down must not stop the service from serving: the outbox holds events until it returns.
            options.WaitUntilStarted = false;
            options.StopTimeout = TimeSpan.FromSeconds(10);
        });
        return builder;
    }
}
