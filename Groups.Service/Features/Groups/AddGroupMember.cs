using System.Text.Json.Serialization;
using Chat.Contracts;
using Chat.ServiceDefaults.Dialects;
using Chat.ServiceDefaults.Messaging;

namespace Chat.Groups.Features.Groups;

/// <summary><c>POST /api/{app_id}/groups/{group_id}/members</c>: the owner or an admin adds one member.</summary>
public static class AddGroupMember
{
    public sealed record Request([property: JsonPropertyName("member_id")] string? MemberId);

    internal static void Map(RouteGroupBuilder groups) =>
        groups.MapPost("/{group_id}/members", HandleAsync).WithName(nameof(AddGroupMember));

    private static Task<IResult> HandleAsync([AsParameters] GroupScope scope, Request request)
    {
        if (!GroupInput.IsValidId(request.MemberId))
        {
            return Task.FromResult(Chat21.BadRequest("member_id is mandatory"));
        }

        var memberId = request.MemberId;
        return scope.ChangeAsync(group =>
        {
            if (!group.CanManage(scope.Caller))
            {
                return GroupDecision.Reject(Chat21.Forbidden("Only the group owner or an admin can add members"));
            }

            if (group.IsMember(memberId))
            {
                return GroupDecision.Reject(Chat21.Success());
            }

            var now = scope.Now();
            return GroupDecision.Accept(
                Chat21.Success(),
                GroupWrites.AddMembers(group.AppId, group.GroupId, [memberId], now),
                GroupWrites.Touch(group, now))
                .Announcing(new GroupMembersChanged
                {
                    AppId = group.AppId,
                    GroupId = group.GroupId,
                    Change = GroupMembershipChange.Joined,
                    Joined = [memberId],
                    Left = [],
                    Members = [.. group.Members, memberId],
                    ChangedBy = scope.Caller.UserId,
                    Version = group.Version + 1,
                });
        });
    }
}
