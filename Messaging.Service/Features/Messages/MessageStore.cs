using System.Diagnostics;
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

/// <summary>A message and who receives it, and the trace its <see cref="MessageSent"/> belongs to (by default the current one).</summary>
public sealed record Delivery(Chat21Message Message, IReadOnlyList<Participant> Participants)
{
    public ActivityContext Trace { get; init; } = Activity.Current?.Context ?? default;
}

/// <summary>
/// Stores messages once each and delivers them to their participants: a row in each timeline, each
/// conversation's last message, each participant's feed, and <see cref="MessageSent"/> in the outbox,
/// all in the caller's transaction. Sends, group system messages and bot replies all come through here.
/// </summary>
public static class MessageStore
{
    /// <summary>Stores one message; see <see cref="StoreAsync(NpgsqlConnection, NpgsqlTransaction?, string, IReadOnlyList{Delivery}, OutboxEvents, CancellationToken)"/>.</summary>
    public static Task<AppendedFeed> StoreAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string appId, Chat21Message message,
        IReadOnlyList<Participant> participants, OutboxEvents events, CancellationToken cancellationToken) =>
        StoreAsync(connection, transaction, appId, [new Delivery(message, participants)], events, cancellationToken);

    /// <summary>
    /// Stores <paramref name="deliveries"/> in the order given (a user's feed, timeline and conversations see them so),
    /// adding their <see cref="MessageSent"/> to <paramref name="events"/>; once the transaction commits,
    /// publish the returned feed with <see cref="FeedRelay"/> and send the events with <see cref="Outbox"/>. Without a
    /// <paramref name="transaction"/> the batch is its own implicit transaction and has committed when this returns,
    /// one round trip instead of two.
    /// </summary>
    public static async Task<AppendedFeed> StoreAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string appId, IReadOnlyList<Delivery> deliveries,
        OutboxEvents events, CancellationToken cancellationToken)
    {
        var rows = deliveries.SelectMany((delivery, index) => delivery.Participants.Select(p => (Participant: p, Index: index))).ToArray();
        var entries = rows.Select(row => FeedEntry.ForMessage(row.Participant.TimelineOf, row.Participant.ConversWith, deliveries[row.Index].Message)).ToArray();
        var messages = deliveries.Select(delivery => delivery.Message).ToArray();
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                Feed.Append(appId, entries),
                InsertMessages(appId, messages),
                InsertTimelines(appId, messages, rows),
                UpsertConversations(appId, messages, rows),
                events.Add(deliveries.Select(delivery => ((IntegrationEvent)ToEvent(appId, delivery.Message), delivery.Trace))),
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

        return await GroupMembersAsync(connection, transaction, appId, message.Recipient, cancellationToken) is { } members
            && (byAdmin || members.Contains(message.Sender, StringComparer.Ordinal))
                ? Participant.OfGroup(members, message.Recipient, message.RecipientFullname)
                : null;
    }

    /// <summary>
    /// The members of a group from the local directory of Groups' events, share-locked until <paramref name="transaction"/>
    /// ends so a membership change waits for the sends; null when the group is unknown or deleted.
    /// </summary>
    public static async Task<string[]?> GroupMembersAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string appId, string groupId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT members FROM group_directory WHERE app_id = $1 AND group_id = $2 AND NOT deleted FOR SHARE", connection, transaction)
        {
            Parameters = { new() { Value = appId }, new() { Value = groupId } },
        };
        return await command.ExecuteScalarAsync(cancellationToken) as string[];
    }

    /// <summary>The messages' rows; <c>$2</c>.. are one array per column, which the conversations' upsert reads the same way.</summary>
    private static NpgsqlBatchCommand InsertMessages(string appId, Chat21Message[] messages)
    {
        var command = new NpgsqlBatchCommand(
            """
            INSERT INTO messages (message_id, app_id, sender, sender_fullname, recipient, recipient_fullname,
                                  channel_type, type, text, attributes, metadata, timestamp)
            SELECT m.message_id, $1, m.sender, m.sender_fullname, m.recipient, m.recipient_fullname,
                   m.channel_type, m.type, m.text, m.attributes, m.metadata, m.timestamp
            FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                        $10::jsonb[], $11::jsonb[], $12::bigint[], $13::int[])
                AS m(message_id, sender, sender_fullname, recipient, recipient_fullname, text, type, channel_type,
                     attributes, metadata, timestamp, status)
            """);
        command.Parameters.Add(new() { Value = appId });
        AddMessageArrays(command.Parameters, messages);
        return command;
    }

    private static NpgsqlBatchCommand InsertTimelines(string appId, Chat21Message[] messages, (Participant Participant, int Index)[] rows) => new(
        """
        INSERT INTO timelines (app_id, timeline_of, convers_with, timestamp, message_id, status)
        SELECT $1, t.timeline_of, t.convers_with, t.timestamp, t.message_id, t.status
        FROM unnest($2::text[], $3::text[], $4::bigint[], $5::uuid[], $6::int[]) AS t(timeline_of, convers_with, timestamp, message_id, status)
        """)
    {
        Parameters =
        {
            new() { Value = appId },
            new() { Value = rows.Select(row => row.Participant.TimelineOf).ToArray() },
            new() { Value = rows.Select(row => row.Participant.ConversWith).ToArray() },
            new() { Value = rows.Select(row => messages[row.Index].Timestamp).ToArray() },
            new() { Value = rows.Select(row => messages[row.Index].MessageId).ToArray() },
            new() { Value = rows.Select(row => messages[row.Index].Status).ToArray() },
        },
    };

    /// <summary>
    /// Each conversation shows its newest message of the batch, as read if the participant sent it and new otherwise;
    /// its unread count grows by the messages others sent, and it comes back out of the archive. The feed append before
    /// it holds every participant's head lock. Each participant row (<c>$2</c>..<c>$5</c>) names its message by position in
    /// the message arrays (<c>$6</c>..).
    /// </summary>
    private static NpgsqlBatchCommand UpsertConversations(
        string appId, Chat21Message[] messages, (Participant Participant, int Index)[] rows)
    {
        var command = new NpgsqlBatchCommand(
            """
            INSERT INTO conversations (app_id, timeline_of, convers_with, convers_with_fullname, message_id, sender, sender_fullname,
                                       recipient, recipient_fullname, last_message_text, type, channel_type, attributes, metadata,
                                       timestamp, status, is_new, unread_count, archived)
            SELECT DISTINCT ON (p.timeline_of, p.convers_with)
                   $1, p.timeline_of, p.convers_with, p.fullname, m.message_id, m.sender, m.sender_fullname, m.recipient,
                   m.recipient_fullname, m.text, m.type, m.channel_type, m.attributes, m.metadata, m.timestamp, m.status,
                   p.timeline_of <> m.sender,
                   count(*) FILTER (WHERE p.timeline_of <> m.sender) OVER (PARTITION BY p.timeline_of, p.convers_with),
                   false
            FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[]) AS p(timeline_of, convers_with, fullname, position)
            JOIN unnest($6::uuid[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[],
                        $14::jsonb[], $15::jsonb[], $16::bigint[], $17::int[])
                WITH ORDINALITY AS m(message_id, sender, sender_fullname, recipient, recipient_fullname, text, type, channel_type,
                                     attributes, metadata, timestamp, status, position)
                USING (position)
            ORDER BY p.timeline_of, p.convers_with, p.position DESC
            ON CONFLICT (app_id, timeline_of, convers_with) DO UPDATE SET
                convers_with_fullname = EXCLUDED.convers_with_fullname, message_id = EXCLUDED.message_id,
                sender = EXCLUDED.sender, sender_fullname = EXCLUDED.sender_fullname, recipient = EXCLUDED.recipient,
                recipient_fullname = EXCLUDED.recipient_fullname, last_message_text = EXCLUDED.last_message_text,
                type = EXCLUDED.type, channel_type = EXCLUDED.channel_type, attributes = EXCLUDED.attributes,
                metadata = EXCLUDED.metadata, timestamp = EXCLUDED.timestamp, status = EXCLUDED.status, is_new = EXCLUDED.is_new,
                unread_count = conversations.unread_count + EXCLUDED.unread_count, archived = false
            """);
        command.Parameters.Add(new() { Value = appId });
        command.Parameters.Add(new() { Value = rows.Select(row => row.Participant.TimelineOf).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(row => row.Participant.ConversWith).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(row => row.Participant.ConversWithFullname).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(row => (long)row.Index + 1).ToArray() });
        AddMessageArrays(command.Parameters, messages);
        return command;
    }

    /// <summary>One array per message column, in <see cref="Chat21Message"/>'s order.</summary>
    private static void AddMessageArrays(NpgsqlParameterCollection parameters, Chat21Message[] messages)
    {
        parameters.Add(new() { Value = messages.Select(m => m.MessageId).ToArray() });
        parameters.Add(new() { Value = messages.Select(m => m.Sender).ToArray() });
        parameters.Add(new() { Value = messages.Select(m => m.SenderFullname).ToArray() });
        parameters.Add(new() { Value = messages.Select(m => m.Recipient).ToArray() });
        parameters.Add(new() { Value = messages.Select(m => m.RecipientFullname).ToArray() });
        parameters.Add(new() { Value = messages.Select(m => m.Text).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        parameters.Add(new() { Value = messages.Select(m => m.Type).ToArray() });
        parameters.Add(new() { Value = messages.Select(m => m.ChannelType).ToArray() });
        parameters.Add(Jsonb(messages.Select(m => m.Attributes)));
        parameters.Add(Jsonb(messages.Select(m => m.Metadata)));
        parameters.Add(new() { Value = messages.Select(m => m.Timestamp).ToArray() });
        parameters.Add(new() { Value = messages.Select(m => m.Status).ToArray() });
    }

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

    private static NpgsqlParameter Jsonb(IEnumerable<JsonElement?> values) => new()
    {
        Value = values.Select(value => value?.GetRawText()).ToArray(),
        NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb,
    };
}
