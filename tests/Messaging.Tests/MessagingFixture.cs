extern alias MessagingService;

using Chat.Contracts;
using Chat.ServiceDefaults.Identity;
using Chat.TestInfrastructure;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using MessagingProgram = MessagingService::Program;

namespace Chat.Messaging.Tests;

/// <summary>One Messaging.Service host on real PostgreSQL, Redis and RabbitMQ, and a probe on the bus, for the whole assembly.</summary>
public sealed class MessagingFixture : IAsyncLifetime
{
    public ServiceFactory<MessagingProgram> Service { get; private set; } = null!;

    public BusProbe Events { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Service = await ServiceFactory.CreateAsync<MessagingProgram>("messagingdb", "messaging");
        Events = await BusProbe.StartAsync(Service.Servers.RabbitMq.ConnectionString, BusProbe.Listen<MessageSent>());
        _ = Service.Server;
    }

    public HttpClient ClientFor(CallerIdentity caller) => Service.CreateClient(caller);

    /// <summary>Publishes a group's creation as the Groups service would, and waits until the service's directory knows it.</summary>
    public async Task KnowGroupAsync(string appId, string groupId, params string[] members)
    {
        var bus = Service.Services.GetRequiredService<IBus>();
        await bus.Publish(
            new GroupCreated { AppId = appId, GroupId = groupId, Name = groupId, Owner = members[0], Members = members, Version = 1 },
            context => context.MessageId = NewId.NextGuid());
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

    public async Task DisposeAsync()
    {
        await Events.DisposeAsync();
        await Service.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class MessagingCollection : ICollectionFixture<MessagingFixture>
{
    public const string Name = "messaging";
}
