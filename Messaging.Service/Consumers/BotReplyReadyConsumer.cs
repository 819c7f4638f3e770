using Chat.Contracts;
using Chat.Messaging.Features.Messages;
using Npgsql;

namespace Chat.Messaging.Consumers;

/// <summary>
/// Delivers a bot's reply as a message from the bot's user, through the same path as a user's send. A reply
/// that can't be delivered (unknown group, a bot that isn't a member, a malformed reply) is logged and dropped:
/// retrying would not change the answer.
/// </summary>
public sealed partial class BotReplyReadyConsumer(SharedPosting shared, ILogger<BotReplyReadyConsumer> logger)
    : PostingConsumer<BotReplyReady>(shared)
{
    protected override async Task HandleAsync(BotReplyReady reply, Posting posting)
    {
        if (reply.ChannelType is not (MessageKind.Direct or MessageKind.Group) || reply.BotUserId == reply.RecipientId
            || !MessageInput.IsValidId(reply.BotUserId) || !MessageInput.IsValidId(reply.RecipientId))
        {
            Log.Undeliverable(logger, reply.AppId, reply.ReplyId, "its channel type or its sender and recipient are not valid");
            return;
        }

        if (await AlreadyStoredAsync(posting, reply.ReplyId))
        {
            return;
        }

        var message = new Chat21Message(
            reply.ReplyId, reply.BotUserId, reply.BotFullname, reply.RecipientId, reply.RecipientFullname, reply.Text, MessageKind.Text,
            reply.ChannelType, reply.Attributes, reply.Metadata, reply.OccurredAt.ToUnixTimeMilliseconds(), MessageStatus.Sent);
        if (await MessageStore.ParticipantsAsync(posting.Connection, posting.Transaction, reply.AppId, message, byAdmin: false, CancellationToken.None)
            is not { } participants)
        {
            Log.Undeliverable(logger, reply.AppId, reply.ReplyId, "the group is unknown or the bot is not a member");
            return;
        }

        posting.Post(reply.AppId, message, participants);
    }

    private static async Task<bool> AlreadyStoredAsync(Posting posting, Guid messageId)
    {
        await using var command = new NpgsqlCommand("SELECT 1 FROM messages WHERE message_id = $1", posting.Connection, posting.Transaction)
        {
            Parameters = { new() { Value = messageId } },
        };
        return await command.ExecuteScalarAsync() is not null;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Bot reply {ReplyId} of app {AppId} was dropped: {Reason}")]
        public static partial void Undeliverable(ILogger logger, string appId, Guid replyId, string reason);
    }
}
