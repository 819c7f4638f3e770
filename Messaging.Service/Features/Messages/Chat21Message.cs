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
    /// <summary>The message's own columns from <c>messages m</c>, in the order <see cref="Read(NpgsqlDataReader, int, int)"/> expects.</summary>
    public const string MessageColumns =
        "m.message_id, m.sender, m.sender_fullname, m.recipient, m.recipient_fullname, m.text, m.type, m.channel_type, "
        + "m.attributes::text, m.metadata::text, m.timestamp";

    /// <summary>The columns <see cref="Read(NpgsqlDataReader)"/> expects, in order, from <c>messages m</c> joined with <c>timelines t</c>.</summary>
    public const string Columns = MessageColumns + ", t.status";

    public static Chat21Message Read(NpgsqlDataReader reader) => Read(reader, 0, reader.GetInt32(11));

    /// <summary>A message whose <see cref="MessageColumns"/> start at <paramref name="offset"/>, as seen with <paramref name="status"/>.</summary>
    public static Chat21Message Read(NpgsqlDataReader reader, int offset, int status) => new(
        reader.GetGuid(offset), reader.GetString(offset + 1), reader.GetString(offset + 2), reader.GetString(offset + 3),
        reader.GetString(offset + 4), reader.IsDBNull(offset + 5) ? null : reader.GetString(offset + 5), reader.GetString(offset + 6),
        reader.GetString(offset + 7), JsonColumn(reader, offset + 8), JsonColumn(reader, offset + 9), reader.GetInt64(offset + 10), status);

    public static JsonElement? JsonColumn(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : JsonSerializer.Deserialize<JsonElement>(reader.GetString(ordinal));
}
