namespace Chat.TestInfrastructure.Servers;

/// <summary>One captured output line of a child process.</summary>
public readonly record struct LogLine(DateTimeOffset Timestamp, string Text);

/// <summary>
/// The most recent output lines of a child process, kept for the status view and for the
/// error message when a server fails to start. Oldest lines fall out once full.
/// </summary>
public sealed class LogRing(int capacity = 500)
{
    private readonly Queue<LogLine> lines = new(capacity);

    public event Action<LogLine>? LineAdded;

    public void Add(string text)
    {
        var line = new LogLine(DateTimeOffset.UtcNow, text);
        lock (lines)
        {
            if (lines.Count == capacity)
            {
                lines.Dequeue();
            }

            lines.Enqueue(line);
        }

        LineAdded?.Invoke(line);
    }

    /// <summary>The last <paramref name="count"/> lines, oldest first.</summary>
    public IReadOnlyList<LogLine> Tail(int count)
    {
        lock (lines)
        {
            return lines.Skip(Math.Max(0, lines.Count - count)).ToArray();
        }
    }

    /// <summary>The last lines joined for an exception message.</summary>
    public string TailText(int count = 30) => string.Join('\n', Tail(count).Select(line => line.Text));
}
