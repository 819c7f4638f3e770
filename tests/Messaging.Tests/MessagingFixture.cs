extern alias MessagingService;

using Chat.Contracts;
using Chat.ServiceDefaults.Identity;
using Chat.TestInfrastructure;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using MessagingProgram = MessagingService::Program;

namespace Chat.Messaging.Tests;

/// <summary>One Messaging.Service host on real PostgreSQL, Redis and RabbitMQ, and a probe on the bus, for the whole assembly.</summary>
public sealed class MessagingFixture : IAsyncLifetime
{
    public MessagingServiceFactory Service { get; private set; } = null!;

    /// <summary>An app whose senders may send <see cref="RateLimitedCapacity"/> messages, refilling as many a minute.</summary>
    public string RateLimitedApp { get; } = TestIdentity.NewAppId();

    public const int RateLimitedCapacity = 3;

    public BusProbe Events { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var servers = await TestServers.GetAsync();
        Service = new MessagingServiceFactory(servers, await servers.CreateDatabaseAsync("messagingdb"), RateLimitedApp);
        Events = await BusProbe.StartAsync(
            Service.Servers.RabbitMq.ConnectionString, BusProbe.Listen<MessageSent>(), BusProbe.Listen<MessagesSeen>());
        // Events published before the service's queues are bound would have nowhere to land: wait for a healthy bus.
        using var health = Service.CreateClient();
        await Eventually.ReturnsAsync(
            async () => await (await health.GetAsync("/health")).Content.ReadAsStringAsync(),
            body => body.StartsWith("{\"status\":\"Healthy\"", StringComparison.Ordinal),
            because: "the service's bus is connected and its endpoints are ready");
    }

    public HttpClient ClientFor(CallerIdentity caller) => Service.CreateClient(caller);

    /// <summary>Another replica of the service on the same database, broker and cache, with extra settings; the caller disposes it.</summary>
    public MessagingServiceFactory SecondReplica(params (string Key, string Value)[] settings) =>
        new(Service.Servers, Service.DatabaseConnectionString, RateLimitedApp, settings);

    /// <summary>Publishes <paramref name="integrationEvent"/> as its service's outbox would, with <paramref name="messageId"/> (new when null).</summary>
    public Task PublishAsync<TEvent>(TEvent integrationEvent, Guid? messageId = null)
        where TEvent : IntegrationEvent =>
        Service.Services.GetRequiredService<IBus>().Publish(integrationEvent, context => context.MessageId = messageId ?? NewId.NextGuid());

    /// <summary>Publishes a group's creation as the Groups service would, and waits until the service's directory knows it.</summary>
    public async Task KnowGroupAsync(string appId, string groupId, params string[] members)
    {
        await PublishAsync(new GroupCreated { AppId = appId, GroupId = groupId, Name = groupId, Owner = members[0], Members = members, Version = 1 });
        var dataSource = Service.Services.GetRequiredService<NpgsqlDataSource>();
        await Eventually.ReturnsAsync(
            async () =>
            {
                await using var command = dataSource.CreateCommand("SELECT count(*) FROM group_directory WHERE app_id = $1 AND group_id = $2");
                command.Parameters.Add(new() { Value = appId });
                command.Parameters.Add(new() { Value = groupId });
                return (long)(await command.ExecuteScalarAsync())!;
            },
            count => count == 1,
            because: $"the directory learns of {groupId}");
    }

    /// <summary>The number <paramref name="sql"/> answers with <c>$1</c> the app and <c>$2</c> a user; 0 when it finds no row.</summary>
    public async Task<long> ScalarAsync(string appId, string sql, string user)
    {
        await using var command = Service.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(sql);
        command.Parameters.Add(new() { Value = appId });
        command.Parameters.Add(new() { Value = user });
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task DisposeAsync()
    {
        await Events.DisposeAsync();
        await Service.DisposeAsync();
    }
}

/// <summary>The service as the tests host it, with <see cref="MessagingFixture.RateLimitedApp"/>'s own sender rate limit.</summary>
public sealed class MessagingServiceFactory(
    TestServers servers, string databaseConnectionString, string rateLimitedApp, params (string Key, string Value)[] settings)
    : ServiceFactory<MessagingProgram>(servers, "messagingdb", databaseConnectionString, "messaging")
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        var app = $"Messaging:SenderRateLimit:Apps:{rateLimitedApp}";
        builder.UseSetting($"{app}:Capacity", $"{MessagingFixture.RateLimitedCapacity}");
        builder.UseSetting($"{app}:RefillPerMinute", $"{MessagingFixture.RateLimitedCapacity}");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class MessagingCollection : ICollectionFixture<MessagingFixture>
{
    public const string Name = "messaging";
}
