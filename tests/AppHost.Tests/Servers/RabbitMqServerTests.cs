using Chat.AppHost.Servers;

namespace Chat.AppHost.Tests.Servers;

public sealed class RabbitMqServerTests
{
    [Fact]
    public async Task Two_instances_run_side_by_side_and_each_leaves_nothing_behind()
    {
        using var directory = new TempDirectory();
        var servers = await Task.WhenAll(
            RabbitMqServer.StartAsync(new RabbitMqServerOptions(directory.Sub("a"))),
            RabbitMqServer.StartAsync(new RabbitMqServerOptions(directory.Sub("b"))));
        var (a, b) = (servers[0], servers[1]);
        var processes = servers.SelectMany(server => new[] { server.ProcessId!.Value, server.EpmdProcessId }).ToArray();
        var ports = servers.SelectMany(server => new[] { server.Port, server.EpmdPort, server.DistributionPort }).ToArray();
        try
        {
            Assert.Equal(6, ports.Distinct().Count());
            Assert.NotEqual(a.NodeName, b.NodeName);
            Assert.Equal($"amqp://guest:guest@127.0.0.1:{a.Port}/", a.ConnectionString);
            Assert.True(await AmqpHandshake.AnswersAsync(a.Port, CancellationToken.None));
            Assert.True(await AmqpHandshake.AnswersAsync(b.Port, CancellationToken.None));
        }
        finally
        {
            await Task.WhenAll(servers.Select(server => server.DisposeAsync().AsTask()));
        }

        Assert.DoesNotContain(processes, ProcessTable.IsAlive);
        foreach (var port in ports)
        {
            Assert.False(await LoopbackPorts.IsListeningAsync(port), $"port {port} still listens");
        }
    }

    [Fact]
    public async Task Stop_closes_the_port_and_restart_brings_the_broker_back_on_the_same_port()
    {
        using var directory = new TempDirectory();
        await using var server = await RabbitMqServer.StartAsync(new RabbitMqServerOptions(directory.Path));
        var port = server.Port;
        var firstBroker = server.ProcessId!.Value;

        await server.StopAsync();

        Assert.False(server.IsRunning);
        Assert.False(ProcessTable.IsAlive(firstBroker));
        Assert.False(await LoopbackPorts.IsListeningAsync(port));
        Assert.True(ProcessTable.IsAlive(server.EpmdProcessId));

        await server.RestartAsync();

        Assert.True(server.IsRunning);
        Assert.Equal(port, server.Port);
        Assert.True(await AmqpHandshake.AnswersAsync(port, CancellationToken.None));
    }
}
