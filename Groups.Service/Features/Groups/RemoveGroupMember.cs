using Chat.Contracts;
using Chat.ServiceDefaults.Dialects;
using Chat.ServiceDefaults.Identity;
using Chat.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Chat.Groups.Features.Groups;

/// <summary>
/// <c>DELETE /api/{app_id}/groups/{group_id}/members/{member_id}</c>: the owner or an admin removes a
/// member, or a member leaves. Removing someone who is not a member changes nothing.
/// </summary>
public static class RemoveGroupMember
{
    internal static void Map(RouteGroupBuilder groups) =>
        groups.MapDelete("/{group_id}/members/{member_id}", HandleAsync).WithName(nameof(RemoveGroupMember));

    private static Task<IResult> HandleAsync(
        [FromRoute(Name = "app_id")] string appId,
        [FromRoute(Name = "group_id")] string groupId,
        [FromRoute(Name = "member_id")] string memberId,
        CallerIdentity caller,
        NpgsqlDataSource dataSource,
        Outbox outbox,
        TimeProvider clock,
        CancellationToken cancellationToken) =>
        GroupChange.RunAsync(dataSource, outbox, appId, groupId, group =>
        {
            var leaving = string.Equals(memberId, caller.UserId, StringComparison.Ordinal);
            if (!leaving && !group.CanManage(caller))
            {
                return GroupDecision.Reject(Chat21.Forbidden("Only the group owner or an admin can remove other members"));
            }

            if (!group.IsMember(memberId))
            {
                return GroupDecision.Reject(Chat21.Success());
            }

            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            return GroupDecision.Accept(
                Chat21.Success(),
                GroupWrites.RemoveMembers(group, [memberId]),
                GroupWrites.Touch(group, now),
                Outbox.Command(new GroupMembersChanged
                {
                    AppId = appId,
                    GroupId = groupId,
                    Change = GroupMembershipChange.Left,
                    Joined = [],
                    Left = [memberId],
                    Members = group.Members.Where(m => !string.Equals(m, memberId, StringComparison.Ordinal)).ToList(),
                    ChangedBy = caller.UserId,
                    Version = group.Version + 1,
                }));
        }, cancellationToken);
}
