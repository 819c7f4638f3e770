using Chat.Contracts;
using Chat.ServiceDefaults.Dialects;
using Chat.ServiceDefaults.Messaging;

namespace Chat.Groups.Features.Groups;

/// <summary><c>DELETE /api/{app_id}/groups/{group_id}</c>: the owner or an admin deletes the group.</summary>
public static class DeleteGroup
{
    internal static void Map(RouteGroupBuilder groups) =>
        groups.MapDelete("/{group_id}", HandleAsync).WithName(nameof(DeleteGroup));

    private static Task<IResult> HandleAsync([AsParameters] GroupScope scope) =>
        scope.ChangeAsync(group => group.CanManage(scope.Caller)
            ? GroupDecision.Accept(
                Chat21.Success(),
                GroupWrites.DeleteGroup(group))
                .Announcing(new GroupDeleted
                {
                    AppId = group.AppId,
                    GroupId = group.GroupId,
                    Members = group.Members,
                    DeletedBy = scope.Caller.UserId,
                    Version = group.Version + 1,
                })
            : GroupDecision.Reject(Chat21.Forbidden("Only the group owner or an admin can delete the group")));
}
