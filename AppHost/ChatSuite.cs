using Chat.AppHost.Hosting;
using Microsoft.Extensions.Configuration;

namespace Chat.AppHost;

/// <summary>
/// The chat platform's application model, in one place so the run command, <c>publish</c> and the
/// end-to-end tests all start exactly the same thing.
/// </summary>
public static class ChatSuite
{
    /// <summary>Configuration key of the gateway's port (0 picks a free one, as tests want).</summary>
    public const string GatewayPortKey = "Gateway:Port";

    /// <summary>The seeds' examples call the gateway at http://localhost:8004.</summary>
    public const int DefaultGatewayPort = 8004;

    /// <summary>Configuration key of how many Messaging replicas run behind its one address (1 unless set).</summary>
    public const string MessagingReplicasKey = "Messaging:Replicas";

    public static DistributedApplicationBuilder Define(DistributedApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var postgres = builder.AddPostgres("postgres");
        var groupsDb = postgres.AddDatabase("groupsdb");
        var messagingDb = postgres.AddDatabase("messagingdb");
        var knowledgeDb = postgres.AddDatabase("knowledgedb");
        var aibotDb = postgres.AddDatabase("aibotdb");
        var cache = builder.AddRedis("cache");
        var bus = builder.AddRabbitMQ("messaging-bus");

        var groups = builder.AddProject("groups", "Groups.Service").WithH2cEndpoint().UsingAll(groupsDb, cache, bus);
        var messaging = builder.AddProject("messaging", "Messaging.Service").WithH2cEndpoint().UsingAll(messagingDb, cache, bus)
            .WithReplicas(builder.Configuration.GetValue<int?>(MessagingReplicasKey) ?? 1);
        var knowledge = builder.AddProject("knowledge", "Knowledge.Service").WithH2cEndpoint().UsingAll(knowledgeDb, cache, bus);
        var aibot = builder.AddProject("aibot", "AiBot.Service").WithH2cEndpoint().UsingAll(aibotDb, cache, bus).CallingAll(knowledge);
        builder.AddProject("gateway", "Gateway")
            .UsingAll(cache)
            .CallingAll(groups, messaging, knowledge, aibot)
            .WithHttpEndpoint(builder.Configuration.GetValue<int?>(GatewayPortKey) ?? DefaultGatewayPort);
        return builder;
    }

    /// <summary>References each server or database and waits for it.</summary>
    private static IResourceBuilder<ProjectResource> UsingAll(
        this IResourceBuilder<ProjectResource> project, params IResourceBuilder<IResourceWithConnectionString>[] resources)
    {
        foreach (var resource in resources)
        {
            project.WithReference(resource).WaitFor(resource);
        }

        return project;
    }

    /// <summary>References each service and waits for it.</summary>
    private static IResourceBuilder<ProjectResource> CallingAll(
        this IResourceBuilder<ProjectResource> project, params IResourceBuilder<IResourceWithServiceDiscovery>[] services)
    {
        foreach (var service in services)
        {
            project.WithReference(service).WaitFor(service);
        }

        return project;
    }
}
