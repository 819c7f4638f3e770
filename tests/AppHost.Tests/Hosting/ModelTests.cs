using Chat.AppHost.Hosting;

namespace Chat.AppHost.Tests.Hosting;

public sealed class ModelTests
{
    [Fact]
    public void The_suite_wires_every_service_to_its_database_the_cache_and_the_bus_and_the_gateway_to_every_service()
    {
        var builder = ChatSuite.Define(DistributedApplication.CreateBuilder(new DistributedApplicationOptions()));
        var resources = builder.Resources.ToDictionary(resource => resource.Name);

        Assert.Equal(["groupsdb", "messagingdb", "knowledgedb", "aibotdb"], ((PostgresServerResource)resources["postgres"]).Databases.Select(database => database.DatabaseName));
        Assert.IsType<RedisResource>(resources["cache"]);
        Assert.IsType<RabbitMQServerResource>(resources["messaging-bus"]);
        foreach (var (service, folder, database) in new[]
        {
            ("groups", "Groups.Service", "groupsdb"),
            ("messaging", "Messaging.Service", "messagingdb"),
            ("knowledge", "Knowledge.Service", "knowledgedb"),
            ("aibot", "AiBot.Service", "aibotdb"),
        })
        {
            var project = Assert.IsType<ProjectResource>(resources[service]);
            Assert.Equal(folder, project.ProjectPath);
            Assert.Subset(project.References.Select(reference => reference.Name).ToHashSet(), new HashSet<string> { database, "cache", "messaging-bus" });
            Assert.Equal(project.References, project.WaitsFor);
        }

        Assert.Contains(resources["knowledge"], ((ProjectResource)resources["aibot"]).References);
        var gateway = Assert.IsType<ProjectResource>(resources["gateway"]);
        Assert.Equal(["cache", "groups", "messaging", "knowledge", "aibot"], gateway.References.Select(reference => reference.Name));
        Assert.Equal(gateway.References, gateway.WaitsFor);
        Assert.Equal(ChatSuite.DefaultGatewayPort, gateway.HttpPort);
    }

    [Fact]
    public void The_gateway_port_comes_from_configuration_and_0_means_a_free_port()
    {
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions { Args = [$"--{ChatSuite.GatewayPortKey}=0"] });
        ChatSuite.Define(builder);

        Assert.Null(builder.Resources.OfType<ProjectResource>().Single(project => project.Name == "gateway").HttpPort);
    }

    [Fact]
    public void Names_must_be_unique_and_well_formed()
    {
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions());
        builder.AddRedis("cache");

        Assert.Throws<DistributedApplicationException>(() => builder.AddRedis("Cache"));
        Assert.Throws<ArgumentException>(() => builder.AddRedis("no spaces"));
        Assert.Throws<ArgumentException>(() => builder.AddRedis("9lives"));
    }

    [Fact]
    public void Waiting_in_a_circle_is_refused_at_build()
    {
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions());
        var a = builder.AddExecutable("a", "true", "/");
        var b = builder.AddExecutable("b", "true", "/").WaitFor(a);
        a.WaitFor(b);

        var error = Assert.Throws<DistributedApplicationException>(builder.Build);
        Assert.Contains("a → b → a", error.Message);
    }

    [Fact]
    public void The_run_command_switches_become_options_and_the_rest_configuration()
    {
        var builder = DistributedApplication.CreateBuilder(["--no-build", "-c", "Release", "--no-dashboard", "--echo", "--Gateway:Port=9000"]);

        Assert.False(builder.Options.BuildProjects);
        Assert.Equal("Release", builder.Options.Configuration);
        Assert.Null(builder.Options.DashboardUrl);
        Assert.True(builder.Options.ConsoleOutput);
        Assert.True(builder.Options.EchoProcessOutput);
        Assert.Equal("9000", builder.Configuration[ChatSuite.GatewayPortKey]);
    }
}
