using Chat.ServiceDefaults.Dialects;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Chat.Messaging.Features.Conversations;

/// <summary>
/// <c>GET /api/{app_id}/{user_id}/conversations</c> and <c>.../conversations/archived</c>: a user's
/// conversations, newest first, paged with <c>before</c> (a timestamp) and <c>limit</c>.
/// </summary>
public static class ListConversations
{
    internal static void Map(RouteGroupBuilder conversations)
    {
        conversations.MapGet("/", ([AsParameters] TimelineScope scope, [FromQuery(Name = "before")] long? before) =>
            ListAsync(scope, before, archived: false)).WithName(nameof(ListConversations));
        conversations.MapGet("/archived", ([AsParameters] TimelineScope scope, [FromQuery(Name = "before")] long? before) =>
            ListAsync(scope, before, archived: true)).WithName("ListArchivedConversations");
    }

    private static async Task<IResult> ListAsync(TimelineScope scope, long? before, bool archived)
    {
        if (scope.Refusal() is { } refusal)
        {
            return refusal;
        }

        await using var command = scope.DataSource.CreateCommand(
            $"""
            SELECT {Chat21Conversation.Columns} FROM conversations
            WHERE app_id = $1 AND timeline_of = $2 AND archived = $3 AND timestamp < $4
            ORDER BY timestamp DESC, convers_with
            LIMIT $5
            """);
        command.Parameters.Add(new() { Value = scope.AppId });
        command.Parameters.Add(new() { Value = scope.UserId });
        command.Parameters.Add(new() { Value = archived });
        command.Parameters.Add(new() { Value = before ?? long.MaxValue });
        command.Parameters.Add(new() { Value = scope.PageSize });
        await using var reader = await command.ExecuteReaderAsync(scope.CancellationToken);
        var result = new List<Chat21Conversation>();
        while (await reader.ReadAsync(scope.CancellationToken))
        {
            result.Add(Chat21Conversation.Read(reader));
        }

        return Chat21.Result(result);
    }
}
