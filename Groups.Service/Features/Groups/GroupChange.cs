using Chat.Contracts;
using Chat.ServiceDefaults.Dialects;
using Chat.ServiceDefaults.Identity;
using Chat.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Chat.Groups.Features.Groups;

/// <summary>What a change to an existing group decided: the answer, the writes that go with it, and the event that announces it.</summary>
internal sealed record GroupDecision(IResult Response, IReadOnlyList<NpgsqlBatchCommand> Writes, IntegrationEvent? Announcement)
{
    public static GroupDecision Reject(IResult response) => new(response, [], null);

    public static GroupDecision Accept(IResult response, params NpgsqlBatchCommand[] writes) => new(response, writes, null);

    public GroupDecision Announcing(IntegrationEvent announcement) => this with { Announcement = announcement };
}

/// <summary>What every request about one existing group binds: its route values, the caller, and the services a change needs.</summary>
internal readonly record struct GroupScope(
    [property: FromRoute(Name = "app_id")] string AppId,
    [property: FromRoute(Name = "group_id")] string GroupId,
    CallerIdentity Caller,
    NpgsqlDataSource DataSource,
    Outbox Outbox,
    TimeProvider Clock,
    CancellationToken CancellationToken)
{
    /// <summary>Now, in the Unix milliseconds Chat21 uses.</summary>
    public long Now() => Clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// The one path every change to an existing group takes: lock the group row, let the feature
    /// decide, write its rows and its event in the same transaction, commit, send the event.
    /// </summary>
    public async Task<IResult> ChangeAsync(Func<Group, GroupDecision> decide)
    {
        await using var connection = await DataSource.OpenConnectionAsync(CancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(CancellationToken);
        var group = await Group.LoadAsync(connection, transaction, AppId, GroupId, forUpdate: true, CancellationToken);
        if (group is null)
        {
            return Chat21.NotFound("Group not found");
        }

        var decision = decide(group);
        if (decision.Writes.Count > 0)
        {
            var events = new OutboxEvents();
            await using var batch = new NpgsqlBatch(connection, transaction);
            foreach (var write in decision.Writes)
            {
                batch.BatchCommands.Add(write);
            }

            if (decision.Announcement is { } announcement)
            {
                batch.BatchCommands.Add(events.Add(announcement));
            }

            await batch.ExecuteNonQueryAsync(CancellationToken);
            await transaction.CommitAsync(CancellationToken);
            Outbox.Send(events);
        }

        return decision.Response;
    }
}

/// <summary>The SQL of group changes, each a batch command so a change is one round trip.</summary>
internal static class GroupWrites
{
    public static NpgsqlBatchCommand InsertGroup(string appId, string groupId, string name, string owner, string? attributesJson, long now) =>
        new("INSERT INTO groups (app_id, group_id, name, owner, attributes, created_on, updated_on) VALUES ($1, $2, $3, $4, $5::jsonb, $6, $6)")
        {
            Parameters =
            {
                new() { Value = appId }, new() { Value = groupId }, new() { Value = name }, new() { Value = owner },
                new() { Value = (object?)attributesJson ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text }, new() { Value = now },
            },
        };

    /// <summary>Bumps the version (and optionally sets the name or the attributes) of a locked group.</summary>
    public static NpgsqlBatchCommand Touch(Group group, long now, string? name = null, string? attributesJson = null) =>
        new("""
            UPDATE groups SET version = version + 1, updated_on = $3,
                name = COALESCE($4, name),
                attributes = COALESCE($5::jsonb, attributes)
            WHERE app_id = $1 AND group_id = $2
            """)
        {
            Parameters =
            {
                new() { Value = group.AppId }, new() { Value = group.GroupId }, new() { Value = now },
                new() { Value = (object?)name ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                new() { Value = (object?)attributesJson ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
            },
        };

    public static NpgsqlBatchCommand AddMembers(string appId, string groupId, IReadOnlyList<string> members, long now) =>
        new("""
            INSERT INTO group_members (app_id, group_id, member_id, joined_on)
            SELECT $1, $2, m, $4 FROM unnest($3::text[]) AS m
            ON CONFLICT DO NOTHING
            """)
        {
            Parameters = { new() { Value = appId }, new() { Value = groupId }, new() { Value = members.ToArray() }, new() { Value = now } },
        };

    public static NpgsqlBatchCommand RemoveMembers(Group group, IReadOnlyList<string> members) =>
        new("DELETE FROM group_members WHERE app_id = $1 AND group_id = $2 AND member_id = ANY($3::text[])")
        {
            Parameters = { new() { Value = group.AppId }, new() { Value = group.GroupId }, new() { Value = members.ToArray() } },
        };

    /// <summary>Deletes a group and its members.</summary>
    public static NpgsqlBatchCommand DeleteGroup(Group group) =>
        new("""
            WITH members AS (DELETE FROM group_members WHERE app_id = $1 AND group_id = $2)
            DELETE FROM groups WHERE app_id = $1 AND group_id = $2
            """)
        {
            Parameters = { new() { Value = group.AppId }, new() { Value = group.GroupId } },
        };
}
