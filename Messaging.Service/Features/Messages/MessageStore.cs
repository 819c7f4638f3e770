using System.Text.Json;
using Chat.Contracts;
using Chat.Messaging.Features.Realtime;
using Chat.ServiceDefaults.Messaging;
using Npgsql;
using NpgsqlTypes;

namespace Chat.Messaging.Features.Messages;

/// <summary>One participant's side of a message: whose timeline, the conversation's other end and its display name.</summary>
public sealed record Participant(string TimelineOf, string ConversWith, string ConversWithFullname)
{
    /// <summary>The sender's and the recipient's sides of a direct message.</summary>
    public static Participant[] OfDirect(Chat21Message message) =>
        [new(message.Sender, message.Recipient, message.RecipientFullname), new(message.Recipient, message.Sender, message.SenderFullname)];

    /// <summary>Every member's side of a group message: the group is the conversation.</summary>
    public static Participant[] OfGroup(IEnumerable<string> members, string groupId, string groupName) =>
        [.. members.Distinct(StringComparer.Ordinal).Select(member => new Participant(member, groupId, groupName))];
}

/// <summary>
/// Stores a message once and delivers it to its participants: a row in each timeline, each
/// conversation's last message, each participant's feed, and <see cref="MessageSent"/> in the outbox,
/// all in the caller's transaction. Sends, group system messages and bot replies all come through here.
/// </summary>
public static class MessageStore
{
    /// <summary>
    /// Stores <paramref name="message"/>; publish the returned feed with <see cref="FeedRelay"/> once the transaction
    /// commits. Without a <paramref name="transaction"/> the batch is its own implicit transaction and has
    /// committed when this returns, one round trip instead of two.
    /// </summary>
    public static async Task<AppendedFeed> StoreAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string appId, Chat21Message message,
        IReadOnlyList<Participant> participants, CancellationToken cancellationToken)
    {
        var entries = participants.Select(p => FeedEntry.ForMessage(p.TimelineOf, p.ConversWith, message)).ToArray();
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                Feed.Append(appId, entries),
                InsertMessage(appId, message),
                InsertTimelines(appId, message, participants),
                UpsertConversations(appId, message, participants),
                Outbox.Command(ToEvent(appId, message)),
            },
        };
        return await Feed.ExecuteAsync(batch, appId, entries, cancellationToken);
    }

    /// <summary>
    /// Who receives <paramref name="message"/>: both ends of a direct message, or every member of its group from the
    /// local directory of Groups' events, share-locked until <paramref name="transaction"/> ends so a membership change
    /// waits for the send. Null when the group is unknown or deleted, or the sender is not a member and not
    /// <paramref name="byAdmin"/>.
    /// </summary>
    public static async Task<Participant[]?> ParticipantsAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string appId, Chat21Message message, bool byAdmin,
        CancellationToken cancellationToken)
    {
        if (message.ChannelType == MessageKind.Direct)
        {
            return Participant.OfDirect(message);
        }

        await using var command = new NpgsqlCommand(
            "SELECT members FROM group_directory WHERE app_id = $1 AND group_id = $2 AND NOT deleted FOR SHARE", connection, transaction)
        {
            Parameters = { new() { Value = appId }, new() { Value = message.Recipient } },
        };
        return await command.ExecuteScalarAsync(cancellationToken) is string[] members
            && (byAdmin || members.Contains(message.Sender, StringComparer.Ordinal))
                ? Participant.OfGroup(members, message.Recipient, message.RecipientFullname)
                : null;
    }

    private static NpgsqlBatchCommand InsertMessage(string appId, Chat21Message message) => new(
        """
        INSERT INTO messages (message_id, app_id, sender, sender_fullname, recipient, recipient_fullname,
                              channel_type, type, text, attributes, metadata, timestamp)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
        """)
    {
        Parameters =
        {
            new() { Value = message.MessageId }, new() { Value = appId }, new() { Value = message.Sender },
            new() { Value = message.SenderFullname }, new() { Value = message.Recipient }, new() { Value = message.RecipientFullname },
            new() { Value = message.ChannelType }, new() { Value = message.Type }, Text(message.Text),
            Jsonb(message.Attributes), Jsonb(message.Metadata), new() { Value = message.Timestamp },
        },
    };

    private static NpgsqlBatchCommand InsertTimelines(string appId, Chat21Message message, IReadOnlyList<Participant> participants) => new(
        """
        INSERT INTO timelines (app_id, timeline_of, convers_with, timestamp, message_id, status)
        SELECT $1, p.timeline_of, p.convers_with, $4, $5, $6 FROM unnest($2::text[], $3::text[]) AS p(timeline_of, convers_with)
        """)
    {
        Parameters =
        {
            new() { Value = appId },
            new() { Value = participants.Select(p => p.TimelineOf).ToArray() },
            new() { Value = participants.Select(p => p.ConversWith).ToArray() },
            new() { Value = message.Timestamp }, new() { Value = message.MessageId }, new() { Value = message.Status },
        },
    };

    /// <summary>
    /// The sender's conversation shows the message as read; everyone else's is new, one more unread,
    /// and back out of the archive. The feed append before it holds every participant's head lock.
    /// </summary>
    private static NpgsqlBatchCommand UpsertConversations(string appId, Chat21Message message, IReadOnlyList<Participant> participants) => new(
        """
        INSERT INTO conversations (app_id, timeline_of, convers_with, convers_with_fullname, message_id, sender, sender_fullname,
                                   recipient, recipient_fullname, last_message_text, type, channel_type, attributes, metadata,
                                   timestamp, status, is_new, unread_count, archived)
        SELECT $1, p.timeline_of, p.convers_with, p.fullname, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
               p.timeline_of <> $6, CASE WHEN p.timeline_of <> $6 THEN 1 ELSE 0 END, false
        FROM unnest($2::text[], $3::text[], $4::text[]) AS p(timeline_of, convers_with, fullname)
        ORDER BY p.timeline_of
        ON CONFLICT (app_id, timeline_of, convers_with) DO UPDATE SET
            convers_with_fullname = EXCLUDED.convers_with_fullname, message_id = EXCLUDED.message_id,
            sender = EXCLUDED.sender, sender_fullname = EXCLUDED.sender_fullname, recipient = EXCLUDED.recipient,
            recipient_fullname = EXCLUDED.recipient_fullname, last_message_text = EXCLUDED.last_message_text,
            type = EXCLUDED.type, channel_type = EXCLUDED.channel_type, attributes = EXCLUDED.attributes,
            metadata = EXCLUDED.metadata, timestamp = EXCLUDED.timestamp, status = EXCLUDED.status, is_new = EXCLUDED.is_new,
            unread_count = conversations.unread_count + EXCLUDED.unread_count, archived = false
        """)
    {
        Parameters =
        {
            new() { Value = appId },
            new() { Value = participants.Select(p => p.TimelineOf).ToArray() },
            new() { Value = participants.Select(p => p.ConversWith).ToArray() },
            new() { Value = participants.Select(p => p.ConversWithFullname).ToArray() },
            new() { Value = message.MessageId }, new() { Value = message.Sender }, new() { Value = message.SenderFullname },
            new() { Value = message.Recipient }, new() { Value = message.RecipientFullname }, Text(message.Text),
            new() { Value = message.Type }, new() { Value = message.ChannelType }, Jsonb(message.Attributes), Jsonb(message.Metadata),
            new() { Value = message.Timestamp }, new() { Value = message.Status },
        },
    };

    private static MessageSent ToEvent(string appId, Chat21Message message) => new()
    {
        AppId = appId,
        MessageId = message.MessageId,
        Sender = message.Sender,
        SenderFullname = message.SenderFullname,
        RecipientId = message.Recipient,
        RecipientFullname = message.RecipientFullname,
        ChannelType = message.ChannelType,
        Type = message.Type,
        Text = message.Text,
        Attributes = message.Attributes,
        Metadata = message.Metadata,
        Timestamp = message.Timestamp,
        Status = message.Status,
    };

    private static NpgsqlParameter Text(string? value) =>
        new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter Jsonb(JsonElement? value) =>
        new() { Value = (object?)value?.GetRawText() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Jsonb };
}
