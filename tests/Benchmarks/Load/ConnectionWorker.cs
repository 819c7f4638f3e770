using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Chat.Benchmarks.Requests;

namespace Chat.Benchmarks.Load;

/// <summary>
/// One keep-alive connection with one request in flight: send, read the whole response, record, repeat.
/// Closed-loop by default; open-loop when the options give a rate, each request then timed from the moment
/// it was scheduled, so a stalled server is charged for the requests it delayed (no coordinated omission).
/// Steady state allocates nothing: pooled buffers, pre-encoded requests, one async state machine per connection.
/// </summary>
internal sealed class ConnectionWorker
{
    private const int ReceiveBufferBytes = 16 * 1024;
    private const int ConnectRetryMilliseconds = 10;

    private readonly EndPoint endpoint;
    private readonly IRequestSource source;
    private readonly RunWindow window;
    private readonly bool bodyless;
    private readonly long firstSend;
    private readonly double sendIntervalTicks;
    private readonly ResponseParser parser = new();
    private readonly PacedWait? pacing;
    private readonly Timeline? timeline;
    private Socket? socket;
    private bool connectedBefore;
    private long inFlightSince;
    private volatile bool timedOut;
    private volatile bool stopping;

    public ConnectionWorker(
        EndPoint endpoint, IRequestSource source, RunWindow window, LoadOptions options, bool bodyless, int index, Pacer? pacer,
        Timeline? timeline)
    {
        this.endpoint = endpoint;
        this.source = source;
        this.window = window;
        this.bodyless = bodyless;
        pacing = pacer?.For(index);
        this.timeline = timeline;
        if (options.Rate is { } rate)
        {
            sendIntervalTicks = options.Connections * Stopwatch.Frequency / rate;
            firstSend = window.WarmupStart + (long)(sendIntervalTicks * index / options.Connections);
        }
    }

    public ConnectionTally Tally { get; } = new();

    // One async method holds the whole request cycle: its state machine is allocated once per connection,
    // where nested async helpers would rent a state box per request from pools that miss across threads.
    public async Task RunAsync()
    {
        using var received = new ReceiveBuffer(ReceiveBufferBytes);
        var scratch = ArrayPool<byte>.Shared.Rent(source.ScratchBytes);
        try
        {
            for (long sequence = 0; !stopping;)
            {
                if (socket is not { } connection)
                {
                    if (!await ConnectAsync() && window.IsOver(Stopwatch.GetTimestamp()))
                    {
                        break;
                    }

                    continue;
                }

                // Closed loop: no schedule, every request is timed from its send.
                var scheduled = sendIntervalTicks > 0 ? ScheduledSend(sequence) : long.MaxValue;
                if (sendIntervalTicks > 0 && window.IsOver(scheduled))
                {
                    break;
                }

                await PaceAsync(scheduled);
                var sendAt = Stopwatch.GetTimestamp();
                var start = Math.Min(scheduled, sendAt);
                sequence++;

                ErrorKind? error;
                var sent = false;
                Volatile.Write(ref inFlightSince, sendAt);
                try
                {
                    var request = source.Next(scratch);
                    while (!request.IsEmpty)
                    {
                        request = request[await connection.SendAsync(request, SocketFlags.None)..];
                    }

                    sent = true;
                    parser.Reset(bodyless);
                    received.Clear();
                    var status = Parse(received);
                    var closed = false;
                    while (status == ParseStatus.NeedMore)
                    {
                        var space = received.Space();
                        if (space.IsEmpty)
                        {
                            status = ParseStatus.Invalid;
                            break;
                        }

                        var count = await connection.ReceiveAsync(space, SocketFlags.None);
                        received.Received(count);
                        closed = count == 0;
                        status = closed ? parser.EndOfStream() : Parse(received);
                    }

                    error = status == ParseStatus.Complete ? null : closed ? ErrorKind.Read : ErrorKind.Protocol;
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    error = timedOut ? ErrorKind.Timeout : sent ? ErrorKind.Read : ErrorKind.Write;
                }
                finally
                {
                    Volatile.Write(ref inFlightSince, 0);
                }

                var end = Stopwatch.GetTimestamp();
                Record(error, start, end);
                source.Answered(scratch, error is null ? parser.StatusCode : 0);
                if (error is not null || parser.CloseAfter)
                {
                    CloseSocket();
                }

                if (window.IsOver(end))
                {
                    break;
                }
            }
        }
        finally
        {
            CloseSocket();
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>Called by the runner's watchdog: replaces a connection whose response is overdue.</summary>
    public void AbortIfOverdue(long now, long timeoutTicks)
    {
        var since = Volatile.Read(ref inFlightSince);
        if (since != 0 && now - since > timeoutTicks)
        {
            timedOut = true;
            Volatile.Read(ref socket)?.Dispose();
        }
    }

    /// <summary>Ends the run for this connection; a request still in flight is abandoned, as it is outside the window.</summary>
    public void Stop()
    {
        stopping = true;
        Volatile.Read(ref socket)?.Dispose();
    }

    private long ScheduledSend(long sequence) => firstSend + (long)(sequence * sendIntervalTicks);

    // The pacer releases a connection up to a millisecond before its schedule. A request is timed from its
    // schedule, or from its actual send if that was earlier, so a connection held back by a slow response
    // charges the server for the wait. Not async: hands back the pacer's task, or a completed one.
    private ValueTask PaceAsync(long scheduled) =>
        pacing is not null && scheduled - Stopwatch.GetTimestamp() > Stopwatch.Frequency / 1000
            ? pacing.UntilAsync(scheduled)
            : ValueTask.CompletedTask;

    private ParseStatus Parse(ReceiveBuffer received)
    {
        var status = parser.Parse(received.Unparsed, out var consumed);
        received.Consume(consumed);
        return status;
    }

    // False when the connect failed: counted, and retried after a short pause.
    private async ValueTask<bool> ConnectAsync()
    {
        var fresh = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        timedOut = false;
        Volatile.Write(ref socket, fresh);
        Volatile.Write(ref inFlightSince, Stopwatch.GetTimestamp());
        try
        {
            await fresh.ConnectAsync(endpoint);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            CloseSocket();
            Count(timedOut ? ErrorKind.Timeout : ErrorKind.Connect, Stopwatch.GetTimestamp());
            await Task.Delay(ConnectRetryMilliseconds);
            return false;
        }
        finally
        {
            Volatile.Write(ref inFlightSince, 0);
        }

        if (connectedBefore && window.Contains(Stopwatch.GetTimestamp()))
        {
            Tally.Reconnects++;
        }

        connectedBefore = true;
        return true;
    }

    private void Record(ErrorKind? error, long start, long end)
    {
        if (error is { } kind)
        {
            Count(kind, end);
        }
        else if (window.Contains(end))
        {
            var microseconds = RunWindow.Microseconds(end - start);
            Tally.Latency.Record(microseconds);
            timeline?.Record(end, microseconds);
            Tally.StatusCodes[parser.StatusCode]++;
        }
    }

    private void Count(ErrorKind kind, long at)
    {
        if (window.Contains(at) && !stopping)
        {
            Tally.Errors[(int)kind]++;
        }
    }

    private void CloseSocket() => Interlocked.Exchange(ref socket, null)?.Dispose();
}
