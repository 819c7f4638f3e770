using System.Text.Json;

namespace Chat.Contracts;

/// <summary>
/// An AI bot's answer is ready to be delivered as a Chat21 message from the bot's IM user
/// <see cref="BotUserId"/> to <see cref="RecipientId"/>, a user (<c>direct</c>) or a group (<c>group</c>).
/// <see cref="ReplyId"/> becomes the message id, so a reply published twice is still stored once.
/// </summary>
public sealed record BotReplyReady : IntegrationEvent
{
    public required Guid ReplyId { get; init; }
    public required string BotUserId { get; init; }
    public required string BotFullname { get; init; }
    public required string RecipientId { get; init; }
    public required string RecipientFullname { get; init; }
    public required string ChannelType { get; init; }
    public required string Text { get; init; }
    public JsonElement? Attributes { get; init; }
    public JsonElement? Metadata { get; init; }

    /// <summary>The message the bot answered, when it answered one.</summary>
    public Guid? InReplyTo { get; init; }
}
