using Chat.Contracts;
using Chat.ServiceDefaults.Messaging;
using MassTransit;
using Npgsql;

namespace Chat.Messaging.Consumers;

/// <summary>Applies a group's newest known state to the local directory; an older version never overwrites a newer one.</summary>
internal static class GroupDirectory
{
    public static async Task ApplyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string appId, string groupId, string? name,
        IReadOnlyList<string> members, long version, bool deleted, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO group_directory (app_id, group_id, name, members, version, deleted)
            VALUES ($1, $2, COALESCE($3, ''), $4, $5, $6)
            ON CONFLICT (app_id, group_id) DO UPDATE
                SET name = COALESCE($3, group_directory.name), members = EXCLUDED.members,
                    version = EXCLUDED.version, deleted = EXCLUDED.deleted
                WHERE group_directory.version < EXCLUDED.version
            """, connection, transaction)
        {
            Parameters =
            {
                new() { Value = appId }, new() { Value = groupId },
                new() { Value = (object?)name ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                new() { Value = members.ToArray() }, new() { Value = version }, new() { Value = deleted },
            },
        };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

public sealed class GroupCreatedConsumer(NpgsqlDataSource dataSource) : IdempotentConsumer<GroupCreated>(dataSource)
{
    protected override Task HandleAsync(ConsumeContext<GroupCreated> context, NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        var created = context.Message;
        return GroupDirectory.ApplyAsync(connection, transaction, created.AppId, created.GroupId, created.Name,
            created.Members, created.Version, deleted: false, context.CancellationToken);
    }
}

public sealed class GroupMembersChangedConsumer(NpgsqlDataSource dataSource) : IdempotentConsumer<GroupMembersChanged>(dataSource)
{
    protected override Task HandleAsync(ConsumeContext<GroupMembersChanged> context, NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        var changed = context.Message;
        return GroupDirectory.ApplyAsync(connection, transaction, changed.AppId, changed.GroupId, null,
            changed.Members, changed.Version, deleted: false, context.CancellationToken);
    }
}

public sealed class GroupUpdatedConsumer(NpgsqlDataSource dataSource) : IdempotentConsumer<GroupUpdated>(dataSource)
{
    protected override async Task HandleAsync(ConsumeContext<GroupUpdated> context, NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        var updated = context.Message;
        await using var command = new NpgsqlCommand(
            "UPDATE group_directory SET name = $3, version = $4 WHERE app_id = $1 AND group_id = $2 AND version < $4",
            connection, transaction)
        {
            Parameters = { new() { Value = updated.AppId }, new() { Value = updated.GroupId }, new() { Value = updated.Name }, new() { Value = updated.Version } },
        };
        await command.ExecuteNonQueryAsync(context.CancellationToken);
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
