using Chat.Contracts;
using Chat.Messaging.Features.Realtime;
using Chat.ServiceDefaults.Messaging;
using MassTransit;
using Npgsql;

namespace Chat.Messaging.Consumers;

/// <summary>
/// The local directory of Groups: who is in which group. Each event carries the full member set and the
/// group's version, so applying the newest version is enough and an older or repeated event changes nothing.
/// </summary>
internal static class GroupDirectory
{
    /// <summary>Applies a group's state as of <paramref name="version"/> if it is newer; returns the group's name as now known.</summary>
    public static async Task<string> ApplyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string appId, string groupId, string? name,
        IReadOnlyList<string> members, long version, bool deleted, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO group_directory AS d (app_id, group_id, name, members, version, deleted)
            VALUES ($1, $2, COALESCE($3, ''), $4, $5, $6)
            ON CONFLICT (app_id, group_id) DO UPDATE SET
                name = CASE WHEN $3 IS NOT NULL AND (d.version < $5 OR d.name = '') THEN $3 ELSE d.name END,
                members = CASE WHEN d.version < $5 THEN EXCLUDED.members ELSE d.members END,
                deleted = CASE WHEN d.version < $5 THEN EXCLUDED.deleted ELSE d.deleted END,
                version = GREATEST(d.version, $5)
            RETURNING name
            """, connection, transaction)
        {
            Parameters =
            {
                new() { Value = appId }, new() { Value = groupId },
                new() { Value = (object?)name ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                new() { Value = members.ToArray() }, new() { Value = version }, new() { Value = deleted },
            },
        };
        return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}

public sealed class GroupCreatedConsumer(NpgsqlDataSource dataSource, Outbox outbox, FeedRelay relay)
    : PostingConsumer<GroupCreated>(dataSource, outbox, relay)
{
    protected override async Task HandleAsync(ConsumeContext<GroupCreated> context, NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        var created = context.Message;
        await GroupDirectory.ApplyAsync(connection, transaction, created.AppId, created.GroupId, created.Name,
            created.Members, created.Version, deleted: false, context.CancellationToken);
        await PostToGroupAsync(connection, transaction, created.AppId,
            GroupSystemMessages.Created(created.GroupId, created.Name, created.Owner, created.OccurredAt),
            created.Members, context.CancellationToken);
    }
}

/// <summary>
/// Applies a membership change and tells the group: each joined member gets the group's recent history in
/// their timeline, then everyone (the joined included) hears who joined; those who left hear it with the rest.
/// </summary>
public sealed class GroupMembersChangedConsumer(NpgsqlDataSource dataSource, Outbox outbox, FeedRelay relay)
    : PostingConsumer<GroupMembersChanged>(dataSource, outbox, relay)
{
    protected override async Task HandleAsync(ConsumeContext<GroupMembersChanged> context, NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        var changed = context.Message;
        var cancellationToken = context.CancellationToken;
        var name = await GroupDirectory.ApplyAsync(connection, transaction, changed.AppId, changed.GroupId, null,
            changed.Members, changed.Version, deleted: false, cancellationToken);
        // Several messages go out in this transaction: their members' feeds are locked at once, in order, first.
        await Feed.LockAsync(connection, transaction, changed.AppId, changed.Members.Concat(changed.Left), cancellationToken);
        if (changed.Joined.Count > 0)
        {
            await GroupSystemMessages.DeliverHistoryAsync(connection, transaction, changed.AppId, changed.GroupId, changed.Joined, cancellationToken);
        }

        foreach (var member in changed.Joined)
        {
            await PostToGroupAsync(connection, transaction, changed.AppId,
                GroupSystemMessages.MemberJoined(changed.GroupId, name, member, changed.OccurredAt), changed.Members, cancellationToken);
        }

        foreach (var member in changed.Left)
        {
            await PostToGroupAsync(connection, transaction, changed.AppId,
                GroupSystemMessages.MemberLeft(changed.GroupId, name, member, changed.ChangedBy, changed.OccurredAt),
                changed.Members.Append(member), cancellationToken);
        }
    }
}

public sealed class GroupUpdatedConsumer(NpgsqlDataSource dataSource, Outbox outbox, FeedRelay relay)
    : PostingConsumer<GroupUpdated>(dataSource, outbox, relay)
{
    protected override async Task HandleAsync(ConsumeContext<GroupUpdated> context, NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        var updated = context.Message;
        await using var command = new NpgsqlCommand(
            """
            UPDATE group_directory SET name = CASE WHEN version < $4 THEN $3 ELSE name END, version = GREATEST(version, $4)
            WHERE app_id = $1 AND group_id = $2 AND NOT deleted
            RETURNING members
            """,
            connection, transaction)
        {
            Parameters = { new() { Value = updated.AppId }, new() { Value = updated.GroupId }, new() { Value = updated.Name }, new() { Value = updated.Version } },
        };
        if (await command.ExecuteScalarAsync(context.CancellationToken) is string[] members)
        {
            await PostToGroupAsync(connection, transaction, updated.AppId,
                GroupSystemMessages.DataUpdated(updated.GroupId, updated.Name, updated.ChangedBy, updated.OccurredAt), members,
                context.CancellationToken);
        }
    }
}

public sealed class GroupDeletedConsumer(NpgsqlDataSource dataSource) : IdempotentConsumer<GroupDeleted>(dataSource)
{
    protected override Task HandleAsync(ConsumeContext<GroupDeleted> context, NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        var deleted = context.Message;
        return GroupDirectory.ApplyAsync(connection, transaction, deleted.AppId, deleted.GroupId, null,
            [], deleted.Version, deleted: true, context.CancellationToken);
    }
}
