namespace Chat.ServiceDefaults.Logging;

/// <summary>
/// A failure that repeats for as long as an outage lasts (on every send, every commit): counted, and reported at most once
/// an interval with the number of times it happened since the last report, so an outage costs one log line an interval
/// instead of a stack trace per request.
/// </summary>
public sealed class RecurringWarning(TimeProvider clock, TimeSpan interval)
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);

    private readonly Lock gate = new();
    private long occurrences;
    private DateTimeOffset? lastReport;

    /// <summary>
    /// Counts one occurrence; true when a report is due, with <paramref name="sinceLastReport"/> the occurrences since the
    /// last one, this one included.
    /// </summary>
    public bool TryReport(out long sinceLastReport)
    {
        lock (gate)
        {
            occurrences++;
            var now = clock.GetUtcNow();
            if (now - lastReport < interval)
            {
                sinceLastReport = 0;
                return false;
            }

            lastReport = now;
            sinceLastReport = occurrences;
            occurrences = 0;
            return true;
        }
    }
}
