using Chat.TestInfrastructure;
using MassTransit;
using Microsoft.Extensions.Hosting;

namespace Chat.ServiceDefaults.Tests;

public sealed class BusShutdownTests
{
    [Fact]
    public async Task A_host_stopped_while_its_bus_is_still_starting_stops_the_bus()
    {
        var servers = await TestServers.GetAsync();
        var lifecycle = new BusLifecycle();
        var (host, _) = await MessagingHost.BuildAsync(servers, services => services.AddBusObserver(_ => lifecycle));
        using (host)
        {
            await host.StartAsync();
            await host.StopAsync();
        }

        Assert.Equal(["started", "stopped"], lifecycle.Events);
    }

    private sealed class BusLifecycle : IBusObserver
    {
        public List<string> Events { get; } = [];

        public void PostCreate(IBus bus)
        {
        }

        public void CreateFaulted(Exception exception)
        {
        }

        public Task PreStart(IBus bus) => Task.CompletedTask;

        public Task PostStart(IBus bus, Task<BusReady> busReady) => Record("started");

        public Task StartFaulted(IBus bus, Exception exception) => Record("start faulted");

        public Task PreStop(IBus bus) => Task.CompletedTask;

        public Task PostStop(IBus bus) => Record("stopped");

        public Task StopFaulted(IBus bus, Exception exception) => Record("stop faulted");

        private Task Record(string lifecycleEvent)
        {
            lock (Events)
            {
                Events.Add(lifecycleEvent);
            }

            return Task.CompletedTask;
        }
    }
}
