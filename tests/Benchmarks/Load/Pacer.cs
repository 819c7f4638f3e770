using System.Diagnostics;
using System.Threading.Tasks.Sources;

namespace Chat.Benchmarks.Load;

/// <summary>
/// The clock of an open-loop run: one thread that wakes every millisecond and releases each connection
/// whose next send is due before the following tick. Released connections send from this thread
/// (continuations run inline), so pacing involves neither the thread pool nor a timer per request, and
/// waiting allocates nothing.
/// </summary>
internal sealed class Pacer : IDisposable
{
    private static readonly long TicksPerMillisecond = Stopwatch.Frequency / 1000;

    private readonly PacedWait[] waits;
    private readonly Thread thread;
    private volatile bool stopped;

    public Pacer(int connections)
    {
        waits = [.. Enumerable.Range(0, connections).Select(_ => new PacedWait(this))];
        thread = new Thread(Tick) { IsBackground = true, Name = "Load pacer" };
        thread.Start();
    }

    public bool Stopped => stopped;

    /// <summary>The wait slot of connection <paramref name="index"/>; a connection has one wait outstanding at most.</summary>
    public PacedWait For(int index) => waits[index];

    /// <summary>Releases every wait now, and every later wait at once.</summary>
    public void Stop()
    {
        stopped = true;
        Array.ForEach(waits, wait => wait.Release());
    }

    public void Dispose()
    {
        Stop();
        thread.Join();
    }

    private void Tick()
    {
        while (!stopped)
        {
            Thread.Sleep(1);
            var horizon = Stopwatch.GetTimestamp() + TicksPerMillisecond;
            foreach (var wait in waits)
            {
                wait.ReleaseIfDueBy(horizon);
            }
        }
    }
}

/// <summary>One connection's reusable wait for its next send time.</summary>
internal sealed class PacedWait(Pacer pacer) : IValueTaskSource
{
    private ManualResetValueTaskSourceCore<bool> completion;
    private long due;
    private int armed;

    /// <summary>Completes at <paramref name="timestamp"/> (up to a millisecond early), or at once if the pacer has stopped.</summary>
    public ValueTask UntilAsync(long timestamp)
    {
        completion.Reset();
        Volatile.Write(ref due, timestamp);
        Interlocked.Exchange(ref armed, 1);
        if (pacer.Stopped)
        {
            Release();
        }

        return new ValueTask(this, completion.Version);
    }

    public void ReleaseIfDueBy(long horizon)
    {
        if (Volatile.Read(ref armed) == 1 && Volatile.Read(ref due) <= horizon)
        {
            Release();
        }
    }

    // The pacer thread and a stop may race: only the first completes the wait.
    public void Release()
    {
        if (Interlocked.Exchange(ref armed, 0) == 1)
        {
            completion.SetResult(true);
        }
    }

    public void GetResult(short token) => completion.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => completion.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        completion.OnCompleted(continuation, state, token, flags);
}
