using System.Diagnostics;
using System.Net.ServerSentEvents;
using Chat.Benchmarks.Load;
using Chat.Benchmarks.Requests;

namespace Chat.Benchmarks.Delivery;

/// <summary>
/// One listening user's event stream (<c>GET /api/{app}/events</c>), read on its own task until disposed. Not the
/// load generator's hot path, so it is an <see cref="HttpClient"/> response read by the runtime's SSE parser; an
/// event's arrival time is taken as the parser hands it over.
/// </summary>
public sealed class EventListener : IAsyncDisposable
{
    private readonly HttpResponseMessage response;
    private readonly CancellationTokenSource stop = new();
    private readonly Task reading;
    private volatile bool lost;

    private EventListener(HttpResponseMessage response, Stream body, DeliveryProbe probe)
    {
        this.response = response;
        reading = Task.Run(() => ReadAsync(body, probe));
    }

    /// <summary>Delivery times of the probe's messages on this stream; written by this stream's reader only.</summary>
    public LatencyHistogram Latency { get; } = new();

    /// <summary>The stream ended or failed before it was closed.</summary>
    public bool Lost => lost;

    /// <summary>Returns once the service has answered with the stream's head: from then on, every new event of the user reaches it.</summary>
    public static async Task<EventListener> OpenAsync(
        HttpClient http, Uri events, HttpHeader authorization, DeliveryProbe probe, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, events);
        request.Headers.TryAddWithoutValidation(authorization.Name, authorization.Value);
        request.Headers.Accept.ParseAdd("text/event-stream");
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        try
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException(
                    $"{events} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }

            return new EventListener(response, await response.Content.ReadAsStreamAsync(cancellationToken), probe);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        response.Dispose();
        await reading;
        stop.Dispose();
    }

    private async Task ReadAsync(Stream body, DeliveryProbe probe)
    {
        var events = SseParser.Create(body, (eventType, data) => probe.Read(eventType, data, Stopwatch.GetTimestamp()));
        try
        {
            await foreach (var item in events.EnumerateAsync(stop.Token))
            {
                probe.Received(item.Data, Latency);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException or ObjectDisposedException)
        {
            // Closing the stream ends the read with one of these; before that, the stream is lost.
        }

        lost = !stop.IsCancellationRequested;
    }
}
