using Microsoft.Extensions.Options;
using Npgsql;

namespace Chat.Messaging.Features.Realtime;

/// <summary>
/// Deletes feed events older than <see cref="RealtimeOptions.Retention"/> once an hour, in small
/// batches so it never holds many locks; a client resuming from before that gets a <c>reset</c> event.
/// Replicas may run it at once: a row is deleted by whichever reaches it first.
/// </summary>
public sealed partial class FeedRetention(
    NpgsqlDataSource dataSource, IOptions<RealtimeOptions> options, TimeProvider clock, ILogger<FeedRetention> logger) : BackgroundService
{
    private const int Batch = 5000;
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await PruneAsync(stoppingToken);
            }
            catch (NpgsqlException exception)
            {
                Log.PruneFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Deletes every expired event; returns how many.</summary>
    public async Task<long> PruneAsync(CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow() - options.Value.Retention;
        long total = 0;
        while (true)
        {
            await using var command = dataSource.CreateCommand(
                """
                DELETE FROM feed_events WHERE ctid = ANY(ARRAY(
                    SELECT ctid FROM feed_events WHERE created_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED))
                """);
            command.Parameters.Add(new() { Value = cutoff });
            command.Parameters.Add(new() { Value = Batch });
            var deleted = await command.ExecuteNonQueryAsync(cancellationToken);
            total += deleted;
            if (deleted < Batch)
            {
                return total;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Pruning expired feed events failed; the next run tries again")]
        public static partial void PruneFailed(ILogger logger, Exception exception);
    }
}
