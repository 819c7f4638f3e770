using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Chat.AppHost;

/// <summary>
/// Starts again any resource that exits by itself while the AppHost runs (a server or service killed, or crashed), after a
/// pause that doubles with each exit in a row, up to 30 s. Aspire restarts nothing on its own. A resource stopped on purpose
/// (from the dashboard, or while the AppHost stops) passes through Stopping first and is left alone.
/// </summary>
internal sealed partial class CrashedResourceRestarts(
    ResourceNotificationService notifications, ResourceCommandService commands, IHostApplicationLifetime lifetime,
    ILogger<CrashedResourceRestarts> logger) : BackgroundService
{
    private static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CalmAfter = TimeSpan.FromMinutes(2);

    private readonly Dictionary<string, string?> states = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Count, DateTimeOffset Last)> exits = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var update in notifications.WatchAsync(stoppingToken))
        {
            var state = update.Snapshot.State?.Text;
            states.TryGetValue(update.ResourceId, out var previous);
            states[update.ResourceId] = state;
            if (previous == KnownResourceStates.Running && state is "Exited" or "Finished" && !lifetime.ApplicationStopping.IsCancellationRequested)
            {
                _ = RestartAsync(update.ResourceId, update.Snapshot.ExitCode, PauseFor(update.ResourceId), stoppingToken);
            }
        }
    }

    private TimeSpan PauseFor(string resourceId)
    {
        var now = DateTimeOffset.UtcNow;
        var count = exits.TryGetValue(resourceId, out var last) && now - last.Last < CalmAfter ? last.Count + 1 : 1;
        exits[resourceId] = (count, now);
        return TimeSpan.FromSeconds(Math.Min(MaxPause.TotalSeconds, Math.Pow(2, count - 1)));
    }

    private async Task RestartAsync(string resourceId, int? exitCode, TimeSpan pause, CancellationToken stoppingToken)
    {
        LogExited(resourceId, exitCode, pause.TotalSeconds);
        try
        {
            await Task.Delay(pause, stoppingToken);
            var result = await commands.ExecuteCommandAsync(resourceId, KnownResourceCommands.StartCommand, stoppingToken);
            if (!result.Success)
            {
                LogRestartFailed(resourceId, result.Message);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The AppHost is stopping: nothing is restarted.
        }
    }

    [LoggerMessage(LogLevel.Warning, "{Resource} exited by itself (exit code {ExitCode}); starting it again in {Pause} s")]
    private partial void LogExited(string resource, int? exitCode, double pause);

    [LoggerMessage(LogLevel.Error, "{Resource} could not be started again: {Error}")]
    private partial void LogRestartFailed(string resource, string? error);
}
