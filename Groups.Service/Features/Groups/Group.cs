using System.Text.Json;
using Chat.ServiceDefaults.Identity;
using Npgsql;

namespace Chat.Groups.Features.Groups;

/// <summary>A stored group with its members in join order.</summary>
internal sealed record Group(
    string AppId,
    string GroupId,
    string Name,
    string Owner,
    string? AttributesJson,
    long CreatedOn,
    long UpdatedOn,
    long Version,
    IReadOnlyList<string> Members)
{
    public bool IsMember(string userId) => Members.Contains(userId, StringComparer.Ordinal);

    /// <summary>Members, the owner (who may have replaced themselves out) and app admins may read a group.</summary>
    public bool CanRead(CallerIdentity caller) => CanManage(caller) || IsMember(caller.UserId);

    /// <summary>The owner and app admins may change it.</summary>
    public bool CanManage(CallerIdentity caller) => caller.IsAdmin || string.Equals(caller.UserId, Owner, StringComparison.Ordinal);

    public JsonElement? Attributes => AttributesJson is null ? null : JsonSerializer.Deserialize<JsonElement>(AttributesJson);

    public Chat21Group ToChat21() => new(
        GroupId, Name, AppId, Owner, Members.ToDictionary(m => m, _ => 1, StringComparer.Ordinal), CreatedOn, UpdatedOn, Attributes);

    /// <summary>Loads a group and its members in one round trip; <paramref name="forUpdate"/> locks the row for a change.</summary>
    public static async Task<Group?> LoadAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string appId, string groupId, bool forUpdate, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(
                    "SELECT name, owner, attributes::text, created_on, updated_on, version FROM groups WHERE app_id = $1 AND group_id = $2"
                    + (forUpdate ? " FOR UPDATE" : ""))
                {
                    Parameters = { new() { Value = appId }, new() { Value = groupId } },
                },
                new NpgsqlBatchCommand(
                    "SELECT member_id FROM group_members WHERE app_id = $1 AND group_id = $2 ORDER BY joined_on, member_id")
                {
                    Parameters = { new() { Value = appId }, new() { Value = groupId } },
                },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var (name, owner, attributes) = (reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2));
        var (createdOn, updatedOn, version) = (reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5));
        await reader.NextResultAsync(cancellationToken);
        var members = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            members.Add(reader.GetString(0));
        }

        return new Group(appId, groupId, name, owner, attributes, createdOn, updatedOn, version, members);
    }
}

/// <summary>Chat21's group object.</summary>
public sealed record Chat21Group(
    string Uid,
    string Name,
    string AppId,
    string Owner,
    IReadOnlyDictionary<string, int> Members,
    long CreatedOn,
    long UpdatedOn,
    JsonElement? Attributes);
