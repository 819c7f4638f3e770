using Npgsql;

namespace Chat.Messaging.Features.Messages;

/// <summary>Waits, on the refusal path only, for the group directory to catch up with Groups' events.</summary>
public static class GroupDirectoryWait
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(50);

    /// <summary>True once <see cref="MessageStore.ParticipantsAsync"/> would place <paramref name="message"/>, within <paramref name="wait"/>.</summary>
    public static async Task<bool> UntilMayPostAsync(
        NpgsqlDataSource dataSource, string appId, Chat21Message message, bool byAdmin, TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = Environment.TickCount64 + (long)wait.TotalMilliseconds;
        while (Environment.TickCount64 < deadline)
        {
            await Task.Delay(PollEvery, cancellationToken);
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            if (await MessageStore.ParticipantsAsync(connection, null, appId, message, byAdmin, cancellationToken) is not null)
            {
                return true;
            }
        }

        return false;
    }
}
