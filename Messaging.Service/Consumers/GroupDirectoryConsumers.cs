using Chat.Contracts;
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

public sealed class GroupCreatedConsumer(SharedPosting shared) : PostingConsumer<GroupCreated>(shared)
{
    protected override async Task HandleAsync(GroupCreated created, Posting posting)
    {
        await GroupDirectory.ApplyAsync(posting.Connection, posting.Transaction, created.AppId, created.GroupId, created.Name,
            created.Members, created.Version, deleted: false, CancellationToken.None);
        posting.PostToGroup(created.AppId, GroupSystemMessages.Created(created.GroupId, created.Name, created.Owner, created.OccurredAt),
            created.Members);
    }
}

/// <summary>
/// Applies a membership change and tells the group: each joined member gets the group's recent history in
/// their timeline, then everyone (the joined included) hears who joined; those who left hear it with the rest.
/// </summary>
public sealed class GroupMembersChangedConsumer(SharedPosting shared) : PostingConsumer<GroupMembersChanged>(shared)
{
    protected override async Task HandleAsync(GroupMembersChanged changed, Posting posting)
    {
        var name = await GroupDirectory.ApplyAsync(posting.Connection, posting.Transaction, changed.AppId, changed.GroupId, null,
            changed.Members, changed.Version, deleted: false, CancellationToken.None);
        if (changed.Joined.Count > 0)
        {
            await GroupSystemMessages.DeliverHistoryAsync(
                posting.Connection, posting.Transaction, changed.AppId, changed.GroupId, changed.Joined, CancellationToken.None);
        }

        foreach (var member in changed.Joined)
        {
            posting.PostToGroup(changed.AppId, GroupSystemMessages.MemberJoined(changed.GroupId, name, member, changed.OccurredAt), changed.Members);
        }

        foreach (var member in changed.Left)
        {
            posting.PostToGroup(changed.AppId, GroupSystemMessages.MemberLeft(changed.GroupId, name, member, changed.ChangedBy, changed.OccurredAt),
                changed.Members.Append(member));
        }
    }
}

public sealed class GroupUpdatedConsumer(SharedPosting shared) : PostingConsumer<GroupUpdated>(shared)
{
    protected override async Task HandleAsync(GroupUpdated updated, Posting posting)
    {
        await using var command = new NpgsqlCommand(
            """
            UPDATE group_directory SET name = CASE WHEN version < $4 THEN $3 ELSE name END, version = GREATEST(version, $4)
            WHERE app_id = $1 AND group_id = $2 AND NOT deleted
            RETURNING members
            """,
            posting.Connection, posting.Transaction)
        {
            Parameters = { new() { Value = updated.AppId }, new() { Value = updated.GroupId }, new() { Value = updated.Name }, new() { Value = updated.Version } },
        };
        if (await command.ExecuteScalarAsync() is string[] members)
        {
            posting.PostToGroup(updated.AppId, GroupSystemMessages.DataUpdated(updated.GroupId, updated.Name, updated.ChangedBy, updated.OccurredAt),
                members);
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
