using Chat.Messaging.Features.Realtime;
using Chat.ServiceDefaults.Dialects;
using Chat.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Chat.Messaging.Features.Conversations;

/// <summary>
/// <c>DELETE /api/{app_id}/conversations/{recipient_id}?delete=true|false</c>: archives the caller's
/// conversation (the default), or with <c>delete=true</c> removes it and its messages from the caller's
/// timeline only; the other participant's side is untouched. The caller's devices hear of it on their feed.
/// </summary>
public static class DeleteConversation
{
    internal static void Map(RouteGroupBuilder api) =>
        api.MapDelete("/conversations/{recipient_id}", HandleAsync).WithName(nameof(DeleteConversation));

    private static async Task<IResult> HandleAsync(
        [FromRoute(Name = "app_id")] string appId,
        [FromRoute(Name = "recipient_id")] string recipientId,
        [FromQuery(Name = "delete")] string? delete,
        CallerIdentity caller,
        NpgsqlDataSource dataSource,
        FeedRelay relay,
        CancellationToken cancellationToken)
    {
        var remove = false;
        if (delete is not null && !bool.TryParse(delete, out remove))
        {
            return Chat21.BadRequest("delete must be true or false");
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        FeedEntry[] change = [FeedEntry.ForConversation(caller.UserId, recipientId, remove ? FeedConversation.Deleted : FeedConversation.Archived)];
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(Feed.Append(appId, change));
        batch.BatchCommands.Add(Scoped(
            remove
                ? "DELETE FROM conversations WHERE app_id = $1 AND timeline_of = $2 AND convers_with = $3"
                : "UPDATE conversations SET archived = true WHERE app_id = $1 AND timeline_of = $2 AND convers_with = $3",
            appId, caller.UserId, recipientId));
        if (remove)
        {
            batch.BatchCommands.Add(Scoped(
                "DELETE FROM timelines WHERE app_id = $1 AND timeline_of = $2 AND convers_with = $3", appId, caller.UserId, recipientId));
        }

        var appended = await Feed.ExecuteAsync(batch, appId, change, cancellationToken);
        if (batch.BatchCommands[1].RecordsAffected == 0)
        {
            return Chat21.NotFound("Conversation not found");
        }

        await transaction.CommitAsync(cancellationToken);
        relay.Publish(appended);
        return Chat21.Success();
    }

    private static NpgsqlBatchCommand Scoped(string sql, string appId, string timelineOf, string conversWith) => new(sql)
    {
        Parameters = { new() { Value = appId }, new() { Value = timelineOf }, new() { Value = conversWith } },
    };
}
