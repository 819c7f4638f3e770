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
