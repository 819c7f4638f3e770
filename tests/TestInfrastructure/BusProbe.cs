using System.Collections.Concurrent;
using MassTransit;

namespace Chat.TestInfrastructure;

/// <summary>
/// A bus of the test's own on the real broker, with a throw-away queue bound to the event types a
/// test wants to see, recording each delivery with its MessageId.
/// </summary>
public sealed class BusProbe : IAsyncDisposable
{
    private readonly IBusControl bus;
    private readonly ConcurrentQueue<(Guid? MessageId, object Message)> received = new();

    private BusProbe(string connectionString, Action<IRabbitMqReceiveEndpointConfigurator, BusProbe> bind)
    {
        var broker = new Uri(connectionString);
        bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(broker, host =>
            {
                host.Username("guest");
                host.Password("guest");
            });
            rabbit.ReceiveEndpoint($"probe-{Guid.NewGuid():N}", endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.Durable = false;
                bind(endpoint, this);
            });
        });
    }

    public IReadOnlyList<(Guid? MessageId, object Message)> Received => received.ToArray();

    /// <summary>Starts a probe listening for <typeparamref name="T1"/> and <typeparamref name="T2"/> (and more via <see cref="Listen{T}"/>).</summary>
    public static async Task<BusProbe> StartAsync(string connectionString, params Action<IRabbitMqReceiveEndpointConfigurator, BusProbe>[] listeners)
    {
        var probe = new BusProbe(connectionString, (endpoint, self) =>
        {
            foreach (var listen in listeners)
            {
                listen(endpoint, self);
            }
        });
        await probe.bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        return probe;
    }

    /// <summary>A listener for one event type, to pass to <see cref="StartAsync"/>.</summary>
    public static Action<IRabbitMqReceiveEndpointConfigurator, BusProbe> Listen<T>()
        where T : class =>
        (endpoint, probe) => endpoint.Handler<T>(context =>
        {
            probe.received.Enqueue((context.MessageId, context.Message));
            return Task.CompletedTask;
        });

    public IReadOnlyList<T> Of<T>(Func<T, bool>? where = null) =>
        received.Select(r => r.Message).OfType<T>().Where(m => where is null || where(m)).ToList();

    public async ValueTask DisposeAsync() => await bus.StopAsync();
}
