using Chat.AppHost.Servers;

namespace Chat.AppHost.Tests.Servers;

public sealed class RedisServerTests
{
    [Fact]
    public async Task Starts_answers_ping_and_leaves_no_process_or_port_behind()
    {
        using var directory = new TempDirectory();
        var server = await RedisServer.StartAsync(new RedisServerOptions(directory.Path, Durable: false));
        var (pid, port) = (server.ProcessId, server.Port);
        await using (server)
        {
            Assert.Equal($"127.0.0.1:{port}", server.ConnectionString);
            Assert.True(await RedisServer.ProbeAsync(port, CancellationToken.None));
        }

        Assert.False(ProcessTable.IsAlive(pid));
        Assert.False(await LoopbackPorts.IsListeningAsync(port));
    }

    [Fact]
    public async Task A_taken_port_is_refused_rather_than_mistaken_for_a_ready_server()
    {
        using var directory = new TempDirectory();
        await using var first = await RedisServer.StartAsync(new RedisServerOptions(directory.Sub("first"), Durable: false));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => RedisServer.StartAsync(new RedisServerOptions(directory.Sub("second"), first.Port, Durable: false)));

        Assert.Contains($"port {first.Port} on 127.0.0.1 is already in use", error.Message);
    }
}
