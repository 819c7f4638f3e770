using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Chat.Contracts;
using Chat.ServiceDefaults.Dialects;
using Chat.ServiceDefaults.Identity;
using Chat.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using NpgsqlTypes;

namespace Chat.Messaging.Features.Messages;

/// <summary>
/// <c>POST /api/{app_id}/messages</c>: stores a direct or group message and puts it in every
/// participant's timeline and conversation, with its <see cref="MessageSent"/> event, in one transaction.
/// </summary>
public static class SendMessage
{
    public sealed record Request(
        [property: JsonPropertyName("sender_id")] string? SenderId,
        [property: JsonPropertyName("sender_fullname")] string? SenderFullname,
        [property: JsonPropertyName("recipient_id")] string? RecipientId,
        [property: JsonPropertyName("recipient_fullname")] string? RecipientFullname,
        [property: JsonPropertyName("text")] string? Text,
        [property: JsonPropertyName("type")] string? Type,
        [property: JsonPropertyName("channel_type")] string? ChannelType,
        [property: JsonPropertyName("attributes")] JsonElement? Attributes,
        [property: JsonPropertyName("metadata")] JsonElement? Metadata,
        [property: JsonPropertyName("timestamp")] long? Timestamp);

    public sealed record Response(bool Success, Chat21Message Message);

    /// <summary>One participant's side: whose timeline, the conversation's other end and its display name.</summary>
    private sealed record Participant(string TimelineOf, string ConversWith, string ConversWithFullname);

    internal static void Map(RouteGroupBuilder api) =>
        api.MapPost("/messages", HandleAsync).WithName(nameof(SendMessage));

    private static async Task<IResult> HandleAsync(
        [FromRoute(Name = "app_id")] string appId,
        Request request,
        CallerIdentity caller,
        NpgsqlDataSource dataSource,
        Outbox outbox,
        SenderRateLimiter rateLimiter,
        HttpResponse httpResponse,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var type = request.Type ?? MessageKind.Text;
        var channelType = request.ChannelType ?? MessageKind.Direct;
        if (InputError(request, type, channelType) is { } inputError)
        {
            return Chat21.BadRequest(inputError);
        }

        if (!caller.IsAdmin && ((request.SenderId is not null && request.SenderId != caller.UserId) || request.Timestamp is not null))
        {
            return Chat21.Forbidden("Only admins can set sender_id or timestamp");
        }

        var sender = request.SenderId ?? caller.UserId;
        if (channelType == MessageKind.Direct && sender == request.RecipientId)
        {
            return Chat21.BadRequest("recipient_id must be another user than the sender");
        }

        var limit = rateLimiter.LimitFor(appId);
        if (await rateLimiter.TryTakeAsync(appId, sender, limit) is { } wait)
        {
            var retryAfter = (long)Math.Ceiling(wait.TotalSeconds);
            httpResponse.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            return Chat21.Error(StatusCodes.Status429TooManyRequests,
                $"Too many messages: a sender may send {limit.Capacity} at once and {limit.RefillPerMinute} a minute; retry in {retryAfter} s");
        }

        var message = new Chat21Message(
            Guid.CreateVersion7(), sender, request.SenderFullname!, request.RecipientId!, request.RecipientFullname!, request.Text,
            type, channelType, ObjectOrNull(request.Attributes), ObjectOrNull(request.Metadata),
            request.Timestamp ?? clock.GetUtcNow().ToUnixTimeMilliseconds(), MessageStatus.Sent);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var participants = channelType == MessageKind.Direct
            ? [new(sender, message.Recipient, message.RecipientFullname), new(message.Recipient, sender, message.SenderFullname)]
            : await GroupParticipantsAsync(connection, transaction, appId, message, caller.IsAdmin, cancellationToken);
        if (participants is null)
        {
            return Chat21.Forbidden("Only members of the group can send messages to it");
        }

        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                InsertMessage(appId, message),
                InsertTimelines(appId, message, participants),
                UpsertConversations(appId, message, participants),
                Outbox.Command(ToEvent(appId, message)),
            },
        };
        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outbox.Notify();
        return TypedResults.Ok(new Response(true, message));
    }

    private static string? InputError(Request request, string type, string channelType) =>
        MessageInput.NameError(request.SenderFullname, "sender_fullname")
        ?? (MessageInput.IsValidId(request.RecipientId) ? null : "recipient_id is mandatory")
        ?? MessageInput.NameError(request.RecipientFullname, "recipient_fullname")
        ?? (request.SenderId is null || MessageInput.IsValidId(request.SenderId) ? null : "sender_id is not a valid id")
        ?? (type is MessageKind.Text or MessageKind.Image ? null : "type must be text or image")
        ?? (channelType is MessageKind.Direct or MessageKind.Group ? null : "channel_type must be direct or group")
        ?? MessageInput.TextError(request.Text, type)
        ?? MessageInput.ObjectError(request.Attributes, "attributes")
        ?? MessageInput.ObjectError(request.Metadata, "metadata")
        ?? (type == MessageKind.Image ? MessageInput.ImageError(request.Metadata) : null)
        ?? (request.Timestamp is null or > 0 ? null : "timestamp must be a positive number of milliseconds");

    private static JsonElement? ObjectOrNull(JsonElement? value) => value is { ValueKind: JsonValueKind.Object } ? value : null;

    /// <summary>
    /// Every member of the group, from the local directory of Groups' events, each with the group as the
    /// conversation; null when the group is unknown or a non-admin sender is not a member.
    /// </summary>
    private static async Task<List<Participant>?> GroupParticipantsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string appId, Chat21Message message, bool byAdmin,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT members FROM group_directory WHERE app_id = $1 AND group_id = $2 AND NOT deleted FOR SHARE", connection, transaction)
        {
            Parameters = { new() { Value = appId }, new() { Value = message.Recipient } },
        };
        if (await command.ExecuteScalarAsync(cancellationToken) is not string[] members
            || (!byAdmin && !members.Contains(message.Sender, StringComparer.Ordinal)))
        {
            return null;
        }

        return [.. members.Select(member => new Participant(member, message.Recipient, message.RecipientFullname))];
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
    /// and back out of the archive. Rows are locked in one order so crossing sends can't deadlock.
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
