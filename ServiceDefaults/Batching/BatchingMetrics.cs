using System.Diagnostics.Metrics;

namespace Chat.ServiceDefaults.Batching;

/// <summary>
/// Where batched work spends its time, per <see cref="CoalescerOptions.Name"/>: how long items wait for a batch to
/// take them, how many a batch takes and how long it runs. A send's latency under load is mostly these (its rate-limit
/// check, then its transaction), so they tell an operator whether sends queue for a writer or for the database.
/// Recorded only while something listens (an OTLP exporter: see <c>TelemetryExtensions</c>).
/// </summary>
public static class BatchingMetrics
{
    public const string MeterName = "Chat.Batching";

    /// <summary>The tag naming the batcher on every measurement.</summary>
    public const string NameTag = "chat.batching.name";

    private static readonly Meter Meter = new(MeterName);

    internal static readonly Histogram<double> QueueDuration = Meter.CreateHistogram<double>(
        "chat.batching.queue.duration", "s", "Time an item waited before a batch took it");

    internal static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>(
        "chat.batching.batch.size", "{item}", "Items one batch took");

    internal static readonly Histogram<double> BatchDuration = Meter.CreateHistogram<double>(
        "chat.batching.batch.duration", "s", "Time one batch's work ran (a transaction, a call to Redis), before its callers resume");
}
