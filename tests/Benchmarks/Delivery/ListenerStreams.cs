using Chat.Benchmarks.Scenarios;

namespace Chat.Benchmarks.Delivery;

/// <summary>The event streams of every listening user of a <c>send-sse</c> run, each with its own JWT, through the gateway.</summary>
public sealed class ListenerStreams : IAsyncDisposable
{
    private readonly HttpClient http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly List<EventListener> streams = [];

    private ListenerStreams()
    {
    }

    public IReadOnlyList<EventListener> All => streams;

    public static async Task<ListenerStreams> OpenAsync(PlatformTargets targets, DeliveryProbe probe, CancellationToken cancellationToken)
    {
        var opened = new ListenerStreams();
        try
        {
            var events = new Uri(targets.Gateway, $"/api/{targets.User.AppId}/events");
            for (var index = 0; index < targets.Listeners; index++)
            {
                var listener = targets.User with { UserId = DeliveryProbe.ListenerId(index), Name = "Bench Listener" };
                var authorization = listener.JwtAuthorization(targets.JwtSecret, DateTimeOffset.UtcNow);
                opened.streams.Add(await EventListener.OpenAsync(opened.http, events, authorization, probe, cancellationToken));
            }

            return opened;
        }
        catch
        {
            await opened.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var stream in streams)
        {
            await stream.DisposeAsync();
        }

        http.Dispose();
    }
}
