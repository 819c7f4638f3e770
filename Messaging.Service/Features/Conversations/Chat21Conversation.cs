using System.Text.Json;
using System.Text.Json.Serialization;
using Chat.Messaging.Features.Messages;
using Npgsql;

namespace Chat.Messaging.Features.Conversations;

/// <summary>Chat21's conversation object: one participant's view of a conversation and its last message.</summary>
public sealed record Chat21Conversation(
    [property: JsonPropertyName("conversWith")] string ConversWith,
    [property: JsonPropertyName("conversWith_fullname")] string ConversWithFullname,
    [property: JsonPropertyName("message_id")] Guid MessageId,
    [property: JsonPropertyName("sender")] string Sender,
    [property: JsonPropertyName("sender_fullname")] string SenderFullname,
    [property: JsonPropertyName("recipient")] string Recipient,
    [property: JsonPropertyName("recipient_fullname")] string RecipientFullname,
    [property: JsonPropertyName("last_message_text")] string? LastMessageText,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("channel_type")] string ChannelType,
    [property: JsonPropertyName("attributes")] JsonElement? Attributes,
    [property: JsonPropertyName("metadata")] JsonElement? Metadata,
    [property: JsonPropertyName("timestamp")] long Timestamp,
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("is_new")] bool IsNew,
    [property: JsonPropertyName("unread_count")] int UnreadCount,
    [property: JsonPropertyName("archived")] bool Archived)
{
    /// <summary>The columns <see cref="Read"/> expects, in order, from <c>conversations</c>.</summary>
    public const string Columns =
        "convers_with, convers_with_fullname, message_id, sender, sender_fullname, recipient, recipient_fullname, last_message_text, "
        + "type, channel_type, attributes::text, metadata::text, timestamp, status, is_new, unread_count, archived";

    public static Chat21Conversation Read(NpgsqlDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetGuid(2), reader.GetString(3), reader.GetString(4),
        reader.GetString(5), reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetString(8),
        reader.GetString(9), Chat21Message.JsonColumn(reader, 10), Chat21Message.JsonColumn(reader, 11), reader.GetInt64(12),
        reader.GetInt32(13), reader.GetBoolean(14), reader.GetInt32(15), reader.GetBoolean(16));
}
