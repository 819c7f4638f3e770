using Npgsql;

namespace Chat.Messaging.Features.Messages;

/// <summary>Waits, on the refusal path only, for the group directory to catch up with Groups' events.</summary>
public static class GroupDirectoryWait
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(50);

    /// <summary>True once the group is known with <paramref name="sender"/> in it (any member for an admin), within <paramref name="wait"/>.</summary>
    public static async Task<bool> UntilMemberAsync(
        NpgsqlDataSource dataSource, string appId, string groupId, string sender, bool byAdmin, TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = Environment.TickCount64 + (long)wait.TotalMilliseconds;
        while (Environment.TickCount64 < deadline)
        {
            await Task.Delay(PollEvery, cancellationToken);
            await using var command = dataSource.CreateCommand(
                "SELECT members FROM group_directory WHERE app_id = $1 AND group_id = $2 AND NOT deleted");
            command.Parameters.Add(new() { Value = appId });
            command.Parameters.Add(new() { Value = groupId });
            if (await command.ExecuteScalarAsync(cancellationToken) is string[] members && (byAdmin || members.Contains(sender, StringComparer.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }
}
