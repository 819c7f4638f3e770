using System.Text.Json;
using Chat.Messaging.Features.Messages;
using Npgsql;

namespace Chat.Messaging.Consumers;

/// <summary>
/// Chat21's system messages about a group: from <c>system</c>, with <c>attributes.subtype</c> <c>info</c>
/// and a <c>messagelabel</c> whose key and parameters let a client show its own translated text.
/// </summary>
public static class GroupSystemMessages
{
    public const string Sender = "system";
    public const string SenderFullname = "System";
    public const string GroupCreated = "GROUP_CREATED";
    public const string MemberJoinedGroup = "MEMBER_JOINED_GROUP";
    public const string MemberLeftGroup = "MEMBER_LEFT_GROUP";
    public const string DataUpdatedGroup = "DATA_UPDATED_GROUP";

    /// <summary>How many of a group's newest messages a joining member receives, as Chat21.</summary>
    public const int HistoryOnJoin = 200;

    public static Chat21Message Created(string groupId, string groupName, string owner, DateTimeOffset at) =>
        Create(groupId, groupName, "Group created", GroupCreated, new Dictionary<string, string> { ["creator"] = owner }, at);

    public static Chat21Message MemberJoined(string groupId, string groupName, string member, DateTimeOffset at) =>
        Create(groupId, groupName, $"{member} added to group", MemberJoinedGroup, new Dictionary<string, string> { ["member_id"] = member }, at);

    public static Chat21Message MemberLeft(string groupId, string groupName, string member, string changedBy, DateTimeOffset at) =>
        Create(groupId, groupName, member == changedBy ? $"{member} left group" : $"{member} removed from group", MemberLeftGroup,
            new Dictionary<string, string> { ["member_id"] = member }, at);

    public static Chat21Message DataUpdated(string groupId, string groupName, string changedBy, DateTimeOffset at) =>
        Create(groupId, groupName, "Group data updated", DataUpdatedGroup,
            new Dictionary<string, string> { ["updated_by"] = changedBy, ["name"] = groupName }, at);

    /// <summary>Puts the group's newest <see cref="HistoryOnJoin"/> messages in each joined member's timeline (messages already there stay once).</summary>
    public static async Task DeliverHistoryAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string appId, string groupId, IReadOnlyList<string> joined,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"""
            INSERT INTO timelines (app_id, timeline_of, convers_with, timestamp, message_id, status)
            SELECT $1, j.member, $2, h.timestamp, h.message_id, {MessageStatus.Sent}
            FROM unnest($3::text[]) AS j(member)
            CROSS JOIN (
                SELECT message_id, timestamp FROM messages
                WHERE app_id = $1 AND recipient = $2 AND channel_type = '{MessageKind.Group}'
                ORDER BY timestamp DESC LIMIT {HistoryOnJoin}) AS h
            ON CONFLICT DO NOTHING
            """, connection, transaction)
        {
            Parameters = { new() { Value = appId }, new() { Value = groupId }, new() { Value = joined.ToArray() } },
        };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static Chat21Message Create(
        string groupId, string groupName, string text, string key, Dictionary<string, string> parameters, DateTimeOffset at) =>
        new(Guid.CreateVersion7(at), Sender, SenderFullname, groupId, groupName, text, MessageKind.Text, MessageKind.Group,
            JsonSerializer.SerializeToElement(new
            {
                subtype = "info",
                updateconversation = true,
                messagelabel = new { key, parameters },
            }),
            null, at.ToUnixTimeMilliseconds(), MessageStatus.Sent);
}
