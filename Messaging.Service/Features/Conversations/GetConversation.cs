using Chat.ServiceDefaults.Dialects;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Chat.Messaging.Features.Conversations;

/// <summary><c>GET /api/{app_id}/{user_id}/conversations/{with}</c>: one of a user's conversations.</summary>
public static class GetConversation
{
    internal static void Map(RouteGroupBuilder conversations) =>
        conversations.MapGet("/{with}", HandleAsync).WithName(nameof(GetConversation));

    private static async Task<IResult> HandleAsync([AsParameters] TimelineScope scope, [FromRoute(Name = "with")] string with)
    {
        if (scope.Refusal() is { } refusal)
        {
            return refusal;
        }

        await using var command = scope.DataSource.CreateCommand(
            $"SELECT {Chat21Conversation.Columns} FROM conversations WHERE app_id = $1 AND timeline_of = $2 AND convers_with = $3");
        command.Parameters.Add(new() { Value = scope.AppId });
        command.Parameters.Add(new() { Value = scope.UserId });
        command.Parameters.Add(new() { Value = with });
        await using var reader = await command.ExecuteReaderAsync(scope.CancellationToken);
        return await reader.ReadAsync(scope.CancellationToken)
            ? Chat21.Result(Chat21Conversation.Read(reader))
            : Chat21.NotFound("Conversation not found");
    }
}
