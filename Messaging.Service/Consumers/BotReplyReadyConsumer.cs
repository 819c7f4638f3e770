using Chat.Contracts;
using Chat.Messaging.Features.Messages;
using Chat.Messaging.Features.Realtime;
using Chat.ServiceDefaults.Messaging;
using MassTransit;
using Npgsql;

namespace Chat.Messaging.Consumers;

/// <summary>
/// Delivers a bot's reply as a message from the bot's user, through the same path as a user's send. A reply
/// that can't be delivered (unknown group, a bot that isn't a member, a malformed reply) is logged and dropped:
/// retrying would not change the answer.
/// </summary>
public sealed partial class BotReplyReadyConsumer(NpgsqlDataSource dataSource, Outbox outbox, FeedRelay relay, ILogger<BotReplyReadyConsumer> logger)
    : PostingConsumer<BotReplyReady>(dataSource, outbox, relay)
{
    protected override async Task HandleAsync(ConsumeContext<BotReplyReady> context, NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        var reply = context.Message;
        var cancellationToken = context.CancellationToken;
        if (reply.ChannelType is not (MessageKind.Direct or MessageKind.Group) || reply.BotUserId == reply.RecipientId
            || !MessageInput.IsValidId(reply.BotUserId) || !MessageInput.IsValidId(reply.RecipientId))
        {
            Log.Undeliverable(logger, reply.AppId, reply.ReplyId, "its channel type or its sender and recipient are not valid");
            return;
        }

        if (await AlreadyStoredAsync(connection, transaction, reply.ReplyId, cancellationToken))
        {
            return;
        }

        var message = new Chat21Message(
            reply.ReplyId, reply.BotUserId, reply.BotFullname, reply.RecipientId, reply.RecipientFullname, reply.Text, MessageKind.Text,
            reply.ChannelType, reply.Attributes, reply.Metadata, reply.OccurredAt.ToUnixTimeMilliseconds(), MessageStatus.Sent);
        if (await MessageStore.ParticipantsAsync(connection, transaction, reply.AppId, message, byAdmin: false, cancellationToken) is not { } participants)
        {
            Log.Undeliverable(logger, reply.AppId, reply.ReplyId, "the group is unknown or the bot is not a member");
            return;
        }

        await PostAsync(connection, transaction, reply.AppId, message, participants, cancellationToken);
    }

    private static async Task<bool> AlreadyStoredAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid messageId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT 1 FROM messages WHERE message_id = $1", connection, transaction)
        {
            Parameters = { new() { Value = messageId } },
        };
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Bot reply {ReplyId} of app {AppId} was dropped: {Reason}")]
        public static partial void Undeliverable(ILogger logger, string appId, Guid replyId, string reason);
    }
}
