extern alias GroupsService;

using Chat.Contracts;
using Chat.ServiceDefaults.Identity;
using Chat.TestInfrastructure;
using GroupsProgram = GroupsService::Program;

namespace Chat.Groups.Tests;

/// <summary>One Groups.Service host on real PostgreSQL, Redis and RabbitMQ, and a probe on the bus, for the whole assembly.</summary>
public sealed class GroupsFixture : IAsyncLifetime
{
    public ServiceFactory<GroupsProgram> Service { get; private set; } = null!;

    public BusProbe Events { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Service = await ServiceFactory.CreateAsync<GroupsProgram>("groupsdb", "groups");
        Events = await BusProbe.StartAsync(
            Service.Servers.RabbitMq.ConnectionString,
            BusProbe.Listen<GroupCreated>(),
            BusProbe.Listen<GroupMembersChanged>(),
            BusProbe.Listen<GroupUpdated>(),
            BusProbe.Listen<GroupDeleted>());
        _ = Service.Server;
    }

    public HttpClient ClientFor(CallerIdentity caller) => Service.CreateClient(caller);

    public async Task DisposeAsync()
    {
        await Events.DisposeAsync();
        await Service.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class GroupsCollection : ICollectionFixture<GroupsFixture>
{
    public const string Name = "groups";
}
