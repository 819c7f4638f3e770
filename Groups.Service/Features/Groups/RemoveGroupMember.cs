using Chat.Contracts;
using Chat.ServiceDefaults.Dialects;
using Chat.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Mvc;

namespace Chat.Groups.Features.Groups;

/// <summary>
/// <c>DELETE /api/{app_id}/groups/{group_id}/members/{member_id}</c>: the owner or an admin removes a
/// member, or a member leaves. Removing someone who is not a member changes nothing.
/// </summary>
public static class RemoveGroupMember
{
    internal static void Map(RouteGroupBuilder groups) =>
        groups.MapDelete("/{group_id}/members/{member_id}", HandleAsync).WithName(nameof(RemoveGroupMember));

    private static Task<IResult> HandleAsync([AsParameters] GroupScope scope, [FromRoute(Name = "member_id")] string memberId) =>
        scope.ChangeAsync(group =>
        {
            var leaving = string.Equals(memberId, scope.Caller.UserId, StringComparison.Ordinal);
            if (!leaving && !group.CanManage(scope.Caller))
            {
                return GroupDecision.Reject(Chat21.Forbidden("Only the group owner or an admin can remove other members"));
            }

            if (!group.IsMember(memberId))
            {
                return GroupDecision.Reject(Chat21.Success());
            }

            return GroupDecision.Accept(
                Chat21.Success(),
                GroupWrites.RemoveMembers(group, [memberId]),
                GroupWrites.Touch(group, scope.Now()))
                .Announcing(new GroupMembersChanged
                {
                    AppId = group.AppId,
                    GroupId = group.GroupId,
                    Change = GroupMembershipChange.Left,
                    Joined = [],
                    Left = [memberId],
                    Members = group.Members.Where(m => !string.Equals(m, memberId, StringComparison.Ordinal)).ToList(),
                    ChangedBy = scope.Caller.UserId,
                    Version = group.Version + 1,
                });
        });
}
