using Chat.AppHost;
using Chat.AppHost.Publishing;
using Chat.AppHost.Servers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

var builder = DistributedApplication.CreateBuilder(PublishCommand.Translate(args));
var data = LocalServer.DataDirectory(builder);
SharedSecrets.AddTo(builder, data);
builder.Services.AddHostedService<CrashedResourceRestarts>();
builder.AddReplicaAddresses();

var postgres = builder.AddPostgresServer("postgres");
var groupsDb = postgres.AddDatabase("groupsdb");
var messagingDb = postgres.AddDatabase("messagingdb");
var knowledgeDb = postgres.AddDatabase("knowledgedb");
var aibotDb = postgres.AddDatabase("aibotdb");
var cache = builder.AddRedisServer("cache");
var bus = builder.AddRabbitMQServer("messaging-bus");

var groups = builder.AddProject<Projects.Groups_Service>("groups")
    .WithReference(groupsDb).WaitFor(groupsDb)
    .WithReference(cache).WaitFor(cache)
    .WithReference(bus).WaitFor(bus)
    .WithConfigurationSections("Identity");

var messaging = builder.AddProject<Projects.Messaging_Service>("messaging")
    .WithReplicas(builder.Configuration.GetValue("Messaging:Replicas", 1))
    .WithReference(messagingDb).WaitFor(messagingDb)
    .WithReference(cache).WaitFor(cache)
    .WithReference(bus).WaitFor(bus)
    .WithConfigurationSections("Identity", "Messaging");

var knowledge = builder.AddProject<Projects.Knowledge_Service>("knowledge")
    .WithReference(knowledgeDb).WaitFor(knowledgeDb)
    .WithReference(cache).WaitFor(cache)
    .WithReference(bus).WaitFor(bus)
    .WithConfigurationSections("Identity", "Ai");

var aibot = builder.AddProject<Projects.AiBot_Service>("aibot")
    .WithReference(aibotDb).WaitFor(aibotDb)
    .WithReference(cache).WaitFor(cache)
    .WithReference(bus).WaitFor(bus)
    .WithReference(knowledge).WaitFor(knowledge)
    .WithConfigurationSections("Identity", "Ai");

// The seeds' examples call the gateway at http://localhost:8004; clients reach it directly, not through DCP's proxy.
var gatewayPort = builder.Configuration.GetValue("Gateway:Port", 8004) is > 0 and var port ? port : LocalServer.Port(builder, "gateway");
builder.AddProject<Projects.Gateway>("gateway")
    .WithHttpEndpoint(port: gatewayPort, targetPort: gatewayPort, isProxied: false)
    .WithExternalHttpEndpoints()
    .WithReference(cache).WaitFor(cache)
    .WithReference(groups).WaitFor(groups).WithReplicaAddresses(groups, "h2c")
    .WithReference(messaging).WaitFor(messaging).WithReplicaAddresses(messaging, "h2c")
    .WithReference(knowledge).WaitFor(knowledge).WithReplicaAddresses(knowledge, "h2c")
    .WithReference(aibot).WaitFor(aibot).WithReplicaAddresses(aibot, "h2c")
    .WithConfigurationSections("Identity", "Apps", "Operator")
    .WithLocalEndpointsFile(data, groups, messaging, knowledge, aibot);

builder.WithTraceSampling();
builder.PublishKubernetesManifests();

builder.Build().Run();
