using Chat.Messaging.Features.Messages;
using Chat.ServiceDefaults.Dialects;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Chat.Messaging.Features.Conversations;

/// <summary>
/// <c>GET /api/{app_id}/{user_id}/conversations/{with}/messages</c>: a conversation's messages in the
/// user's timeline. By default, or with <c>before</c>, the newest first going back in time; with
/// <c>after</c>, the oldest after it first, so a client can page forward. The cursor is a timestamp,
/// as in Chat21; messages of the same millisecond are told apart by adding the last message's id as
/// <c>before_id</c> or <c>after_id</c>, so paging never skips or repeats one.
/// </summary>
public static class ListConversationMessages
{
    private const string NewestBefore =
        $"""
        SELECT {Chat21Message.Columns}
        FROM timelines t JOIN messages m ON m.message_id = t.message_id
        WHERE t.app_id = $1 AND t.timeline_of = $2 AND t.convers_with = $3 AND (t.timestamp, t.message_id) < ($4, $6)
        ORDER BY t.timestamp DESC, t.message_id DESC
        LIMIT $5
        """;

    private const string OldestAfter =
        $"""
        SELECT {Chat21Message.Columns}
        FROM timelines t JOIN messages m ON m.message_id = t.message_id
        WHERE t.app_id = $1 AND t.timeline_of = $2 AND t.convers_with = $3 AND (t.timestamp, t.message_id) > ($4, $6)
        ORDER BY t.timestamp, t.message_id
        LIMIT $5
        """;

    internal static void Map(RouteGroupBuilder conversations) =>
        conversations.MapGet("/{with}/messages", HandleAsync).WithName(nameof(ListConversationMessages));

    private static async Task<IResult> HandleAsync(
        [AsParameters] TimelineScope scope,
        [FromRoute(Name = "with")] string with,
        [FromQuery(Name = "before")] long? before,
        [FromQuery(Name = "after")] long? after,
        [FromQuery(Name = "before_id")] Guid? beforeId,
        [FromQuery(Name = "after_id")] Guid? afterId)
    {
        if (scope.Refusal() is { } refusal)
        {
            return refusal;
        }

        if (before is not null && after is not null)
        {
            return Chat21.BadRequest("Use either before or after, not both");
        }

        if ((beforeId is not null && before is null) || (afterId is not null && after is null))
        {
            return Chat21.BadRequest("before_id and after_id go with before and after");
        }

        await using var command = scope.DataSource.CreateCommand(after is null ? NewestBefore : OldestAfter);
        command.Parameters.Add(new() { Value = scope.AppId });
        command.Parameters.Add(new() { Value = scope.UserId });
        command.Parameters.Add(new() { Value = with });
        command.Parameters.Add(new() { Value = after ?? before ?? long.MaxValue });
        command.Parameters.Add(new() { Value = scope.PageSize });
        // Without an id the cursor is the timestamp alone: every message of that millisecond is on the other side.
        command.Parameters.Add(new() { Value = after is null ? beforeId ?? Guid.Empty : afterId ?? Guid.AllBitsSet });
        await using var reader = await command.ExecuteReaderAsync(scope.CancellationToken);
        var result = new List<Chat21Message>();
        while (await reader.ReadAsync(scope.CancellationToken))
        {
            result.Add(Chat21Message.Read(reader));
        }

        return Chat21.Result(result);
    }
}
