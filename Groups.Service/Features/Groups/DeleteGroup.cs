using Chat.Contracts;
using Chat.ServiceDefaults.Dialects;
using Chat.ServiceDefaults.Identity;
using Chat.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Chat.Groups.Features.Groups;

/// <summary><c>DELETE /api/{app_id}/groups/{group_id}</c>: the owner or an admin deletes the group.</summary>
public static class DeleteGroup
{
    internal static void Map(RouteGroupBuilder groups) =>
        groups.MapDelete("/{group_id}", HandleAsync).WithName(nameof(DeleteGroup));

    private static Task<IResult> HandleAsync(
        [FromRoute(Name = "app_id")] string appId,
        [FromRoute(Name = "group_id")] string groupId,
        CallerIdentity caller,
        NpgsqlDataSource dataSource,
        Outbox outbox,
        CancellationToken cancellationToken) =>
        GroupChange.RunAsync(dataSource, outbox, appId, groupId, group => group.CanManage(caller)
            ? GroupDecision.Accept(
                Chat21.Success(),
                GroupWrites.DeleteGroup(group),
                Outbox.Command(new GroupDeleted
                {
                    AppId = appId,
                    GroupId = groupId,
                    Members = group.Members,
                    DeletedBy = caller.UserId,
                    Version = group.Version + 1,
                }))
            : GroupDecision.Reject(Chat21.Forbidden("Only the group owner or an admin can delete the group")),
            cancellationToken);
}
