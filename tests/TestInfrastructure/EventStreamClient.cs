using System.Text;
using System.Threading.Channels;

namespace Chat.TestInfrastructure;

/// <summary>One Server-Sent Event as a client sees it.</summary>
public sealed record ServerSentEvent(string? Id, string Event, string Data);

/// <summary>
/// Reads a <c>text/event-stream</c> response as it arrives, the way a browser's EventSource parses it:
/// fields until a blank line, comments (heartbeats) counted, the last <c>id:</c> remembered.
/// </summary>
public sealed class EventStreamClient : IAsyncDisposable
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(15);

    private readonly Channel<ServerSentEvent> events = Channel.CreateUnbounded<ServerSentEvent>();
    private readonly CancellationTokenSource stop = new();
    private readonly Task pump;
    private int comments;

    private EventStreamClient(HttpResponseMessage response, Stream? body)
    {
        Response = response;
        if (body is null)
        {
            events.Writer.Complete();
            pump = Task.CompletedTask;
        }
        else
        {
            pump = PumpAsync(body);
        }
    }

    public HttpResponseMessage Response { get; }

    /// <summary>Comment lines received so far; the service's heartbeats are comments.</summary>
    public int Comments => Volatile.Read(ref comments);

    /// <summary>The id of the newest event received, what a reconnecting client sends as <c>Last-Event-ID</c>.</summary>
    public string? LastEventId { get; private set; }

    /// <summary>Opens the stream; a response that isn't a stream is left unread in <see cref="Response"/>, with no events.</summary>
    public static async Task<EventStreamClient> OpenAsync(HttpClient client, string path, string? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var isStream = response.IsSuccessStatusCode && response.Content.Headers.ContentType?.MediaType == "text/event-stream";
        return new EventStreamClient(response, isStream ? await response.Content.ReadAsStreamAsync() : null);
    }

    /// <summary>The next event, or a <see cref="TimeoutException"/> naming what was awaited.</summary>
    public async Task<ServerSentEvent> NextAsync(TimeSpan? wait = null)
    {
        using var timeout = new CancellationTokenSource(wait ?? DefaultWait);
        try
        {
            return await events.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No event arrived within {(wait ?? DefaultWait).TotalSeconds} s");
        }
        catch (ChannelClosedException exception)
        {
            throw new InvalidOperationException("The stream ended", exception);
        }
    }

    /// <summary>Events until <paramref name="count"/> have arrived.</summary>
    public async Task<List<ServerSentEvent>> TakeAsync(int count, TimeSpan? wait = null)
    {
        var taken = new List<ServerSentEvent>(count);
        while (taken.Count < count)
        {
            taken.Add(await NextAsync(wait));
        }

        return taken;
    }

    /// <summary>True when no event arrives within <paramref name="wait"/>.</summary>
    public async Task<bool> StaysQuietAsync(TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            return !await events.Reader.WaitToReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    private async Task PumpAsync(Stream body)
    {
        try
        {
            using var reader = new StreamReader(body, Encoding.UTF8);
            string? id = null;
            var name = "message";
            var data = new StringBuilder();
            while (await reader.ReadLineAsync(stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (data.Length > 0)
                    {
                        LastEventId = id ?? LastEventId;
                        events.Writer.TryWrite(new(id, name, data.ToString()));
                    }

                    (id, name) = (null, "message");
                    data.Clear();
                }
                else if (line[0] == ':')
                {
                    Interlocked.Increment(ref comments);
                }
                else
                {
                    var colon = line.IndexOf(':', StringComparison.Ordinal);
                    var field = colon < 0 ? line : line[..colon];
                    var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
                    switch (field)
                    {
                        case "id":
                            id = value;
                            break;
                        case "event":
                            name = value;
                            break;
                        case "data":
                            data.Append(data.Length > 0 ? "\n" : "").Append(value);
                            break;
                    }
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or HttpRequestException)
        {
            // The stream was closed by the test or broken by the server: the reader sees the channel end.
        }
        finally
        {
            events.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await pump;
        Response.Dispose();
        stop.Dispose();
    }
}
