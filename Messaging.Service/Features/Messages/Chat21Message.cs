using System.Text.Json;
using System.Text.Json.Serialization;
using Npgsql;

namespace Chat.Messaging.Features.Messages;

/// <summary>Chat21's message object.</summary>
public sealed record Chat21Message(
    [property: JsonPropertyName("message_id")] Guid MessageId,
    [property: JsonPropertyName("sender")] string Sender,
    [property: JsonPropertyName("sender_fullname")] string SenderFullname,
    [property: JsonPropertyName("recipient")] string Recipient,
    [property: JsonPropertyName("recipient_fullname")] string RecipientFullname,
    [property: JsonPropertyName("text")] string? Text,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("channel_type")] string ChannelType,
    [property: JsonPropertyName("attributes")] JsonElement? Attributes,
    [property: JsonPropertyName("metadata")] JsonElement? Metadata,
    [property: JsonPropertyName("timestamp")] long Timestamp,
    [property: JsonPropertyName("status")] int Status)
{
    /// <summary>The columns <see cref="Read"/> expects, in order, from <c>messages m</c> joined with <c>timelines t</c>.</summary>
    public const string Columns =
        "m.message_id, m.sender, m.sender_fullname, m.recipient, m.recipient_fullname, m.text, m.type, m.channel_type, "
        + "m.attributes::text, m.metadata::text, m.timestamp, t.status";

    public static Chat21Message Read(NpgsqlDataReader reader) => new(
        reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
        reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetString(6), reader.GetString(7),
        JsonColumn(reader, 8), JsonColumn(reader, 9), reader.GetInt64(10), reader.GetInt32(11));

    public static JsonElement? JsonColumn(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : JsonSerializer.Deserialize<JsonElement>(reader.GetString(ordinal));
}
