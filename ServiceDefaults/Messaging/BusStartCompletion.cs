using MassTransit;
using Microsoft.Extensions.Hosting;

namespace Chat.ServiceDefaults.Messaging;

/// <summary>
/// Lets a host stop its bus even when the bus is still starting. The bus starts in the background (a broker outage must
/// not keep the service from serving), and MassTransit's stop skips a bus whose start hasn't finished: that bus then
/// finished starting after its host was gone and took messages from the shared queues with a disposed container, so
/// they faulted to the error queue (seen as a group's creation never reaching the other replica of a test). Registered
/// after MassTransit's hosted service, this one stops first and waits for the start to finish, so MassTransit's stop that
/// follows stops a started bus. A start that isn't over when the host's shutdown time runs out is left as before.
/// </summary>
internal sealed class BusStartCompletion : IHostedService, IBusObserver
{
    private readonly TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool startRequested;

    /// <summary>Runs after MassTransit's own start, which has set the bus starting.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        startRequested = true;
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (startRequested)
        {
            try
            {
                await started.Task.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Out of shutdown time: MassTransit's stop runs next either way.
            }
        }
    }

    public void PostCreate(IBus bus)
    {
    }

    public void CreateFaulted(Exception exception)
    {
    }

    public Task PreStart(IBus bus) => Task.CompletedTask;

    public Task PostStart(IBus bus, Task<BusReady> busReady)
    {
        started.TrySetResult();
        return Task.CompletedTask;
    }

    public Task StartFaulted(IBus bus, Exception exception)
    {
        started.TrySetResult();
        return Task.CompletedTask;
    }

    public Task PreStop(IBus bus) => Task.CompletedTask;

    public Task PostStop(IBus bus) => Task.CompletedTask;

    public Task StopFaulted(IBus bus, Exception exception) => Task.CompletedTask;
}
