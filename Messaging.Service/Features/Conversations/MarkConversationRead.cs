using Chat.Contracts;
using Chat.Messaging.Features.Messages;
using Chat.Messaging.Features.Realtime;
using Chat.ServiceDefaults.Dialects;
using Chat.ServiceDefaults.Identity;
using Chat.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Chat.Messaging.Features.Conversations;

/// <summary>
/// <c>POST /api/{app_id}/conversations/{with}/read</c>: the caller has read the conversation. Its unread
/// count goes to zero, the messages the other participant sent the caller become seen (status 300) in
/// both timelines, and a <see cref="MessagesSeen"/> event tells the sender, in one transaction. The caller's
/// other devices hear that the conversation was read and the sender hears which messages were seen.
/// </summary>
public static class MarkConversationRead
{
    /// <summary>Both participants' conversation rows, after their feed heads, as a send locks them, so the two can't deadlock.</summary>
    private const string LockConversations =
        """
        SELECT timeline_of FROM conversations
        WHERE app_id = $1 AND ((timeline_of = $2 AND convers_with = $3) OR (timeline_of = $3 AND convers_with = $2))
        ORDER BY timeline_of
        FOR UPDATE
        """;

    private const string ResetUnread =
        "UPDATE conversations SET unread_count = 0, is_new = false WHERE app_id = $1 AND timeline_of = $2 AND convers_with = $3";

    /// <summary>Marks the messages from <c>$3</c> to <c>$2</c> seen in both timelines and in a conversation whose last message they are; returns their ids.</summary>
    private static readonly string MarkSeen =
        $"""
        WITH seen AS (
            UPDATE timelines t SET status = {MessageStatus.Seen}
            FROM messages m
            WHERE m.message_id = t.message_id AND m.sender = $3 AND t.app_id = $1 AND t.status < {MessageStatus.Seen}
              AND ((t.timeline_of = $2 AND t.convers_with = $3) OR (t.timeline_of = $3 AND t.convers_with = $2))
            RETURNING t.message_id, t.timeline_of, t.timestamp
        ), last_messages AS (
            UPDATE conversations c SET status = {MessageStatus.Seen}
            WHERE c.app_id = $1 AND ((c.timeline_of = $2 AND c.convers_with = $3) OR (c.timeline_of = $3 AND c.convers_with = $2))
              AND c.message_id IN (SELECT message_id FROM seen)
        )
        SELECT message_id FROM seen WHERE timeline_of = $3 ORDER BY timestamp, message_id
        """;

    internal static void Map(RouteGroupBuilder api) =>
        api.MapPost("/conversations/{with}/read", HandleAsync).WithName(nameof(MarkConversationRead));

    private static async Task<IResult> HandleAsync(
        [FromRoute(Name = "app_id")] string appId,
        [FromRoute(Name = "with")] string with,
        CallerIdentity caller,
        NpgsqlDataSource dataSource,
        Outbox outbox,
        FeedRelay relay,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Feed.LockAsync(connection, transaction, appId, [caller.UserId, with], cancellationToken);
        if (!(await LockedParticipantsAsync(connection, transaction, appId, caller.UserId, with, cancellationToken))
                .Contains(caller.UserId, StringComparer.Ordinal))
        {
            return Chat21.NotFound("Conversation not found");
        }

        await using (var reset = Command(connection, transaction, ResetUnread, appId, caller.UserId, with))
        {
            await reset.ExecuteNonQueryAsync(cancellationToken);
        }

        var seen = new List<Guid>();
        await using (var mark = Command(connection, transaction, MarkSeen, appId, caller.UserId, with))
        await using (var reader = await mark.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                seen.Add(reader.GetGuid(0));
            }
        }

        FeedEntry[] changes = seen.Count > 0
            ? [FeedEntry.ForConversation(caller.UserId, with, FeedConversation.Read), FeedEntry.ForStatus(with, caller.UserId, seen, MessageStatus.Seen)]
            : [FeedEntry.ForConversation(caller.UserId, with, FeedConversation.Read)];
        var appended = await Feed.AppendAsync(connection, transaction, appId, changes, cancellationToken);
        var events = new OutboxEvents();
        if (seen.Count > 0)
        {
            await using var enqueue = new NpgsqlBatch(connection, transaction);
            enqueue.BatchCommands.Add(events.Add(new MessagesSeen
            {
                AppId = appId,
                Reader = caller.UserId,
                ConversWith = with,
                MessageIds = seen,
                Timestamp = clock.GetUtcNow().ToUnixTimeMilliseconds(),
            }));
            await enqueue.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        outbox.Send(events);

        relay.Publish(appended);

        return Chat21.Success();
    }

    private static async Task<List<string>> LockedParticipantsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string appId, string reader, string with, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, LockConversations, appId, reader, with);
        await using var rows = await command.ExecuteReaderAsync(cancellationToken);
        var timelines = new List<string>();
        while (await rows.ReadAsync(cancellationToken))
        {
            timelines.Add(rows.GetString(0));
        }

        return timelines;
    }

    private static NpgsqlCommand Command(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, string appId, string reader, string with) =>
        new(sql, connection, transaction)
        {
            Parameters = { new() { Value = appId }, new() { Value = reader }, new() { Value = with } },
        };
}
