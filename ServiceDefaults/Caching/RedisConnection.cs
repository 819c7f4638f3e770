using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace Chat.ServiceDefaults.Caching;

/// <summary>
/// The process's one Redis connection, opened asynchronously while the host starts, before the server takes requests.
/// Created on first use instead, it was opened by a request with the client's synchronous connect: under load at start-up
/// every other request thread then queued behind the container's lock while the connect waited for a pool thread
/// (measured: a Messaging replica given send load before anything had used Redis answered nothing, not even
/// <c>/alive</c>, for over a minute).
/// </summary>
public sealed class RedisConnection(ConfigurationOptions options)
{
    private readonly Lazy<Task<ConnectionMultiplexer>> connecting = new(() => ConnectionMultiplexer.ConnectAsync(options));

    /// <summary>Completes once connected, or once the first attempt failed and the client retries in the background.</summary>
    public Task<ConnectionMultiplexer> ConnectAsync() => connecting.Value;

    /// <summary>The connection: ready once the host has started; a container used without its host waits for it here.</summary>
    internal ConnectionMultiplexer Multiplexer => connecting.Value.GetAwaiter().GetResult();

    internal static void Register(IServiceCollection services, ConfigurationOptions options)
    {
        services.AddSingleton(new RedisConnection(options));
        // The container creates, owns and at the end disposes the multiplexer; start-up creates it before any request.
        services.AddSingleton<IConnectionMultiplexer>(provider => provider.GetRequiredService<RedisConnection>().Multiplexer);
        services.AddHostedService<StartUp>();
    }

    private sealed class StartUp(RedisConnection connection, IServiceProvider services) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await connection.ConnectAsync().WaitAsync(cancellationToken);
            _ = services.GetRequiredService<IConnectionMultiplexer>();
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
