using System.Text.Json;

namespace Chat.Contracts;

/// <summary>
/// A message was stored and put in its participants' timelines. <see cref="RecipientId"/> is the
/// other user of a direct message or the group of a group message; <see cref="Status"/> is Chat21's code.
/// </summary>
public sealed record MessageSent : IntegrationEvent
{
    public required Guid MessageId { get; init; }
    public required string Sender { get; init; }
    public required string SenderFullname { get; init; }
    public required string RecipientId { get; init; }
    public required string RecipientFullname { get; init; }
    public required string ChannelType { get; init; }
    public required string Type { get; init; }
    public string? Text { get; init; }
    public JsonElement? Attributes { get; init; }
    public JsonElement? Metadata { get; init; }
    public required long Timestamp { get; init; }
    public required int Status { get; init; }
}

/// <summary>
/// <see cref="Reader"/> read their direct conversation with <see cref="ConversWith"/>: the messages
/// <see cref="ConversWith"/> had sent them, <see cref="MessageIds"/>, are now seen (Chat21 status 300)
/// as of <see cref="Timestamp"/> (ms).
/// </summary>
public sealed record MessagesSeen : IntegrationEvent
{
    public required string Reader { get; init; }
    public required string ConversWith { get; init; }
    public required IReadOnlyList<Guid> MessageIds { get; init; }
    public required long Timestamp { get; init; }
}
