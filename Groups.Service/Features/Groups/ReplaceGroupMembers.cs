using System.Text.Json;
using Chat.Contracts;
using Chat.ServiceDefaults.Dialects;
using Chat.ServiceDefaults.Messaging;

namespace Chat.Groups.Features.Groups;

/// <summary>
/// <c>PUT /api/{app_id}/groups/{group_id}/members</c>: the owner or an admin sets the whole member set.
/// Body <c>{"members":{"id":1,...}}</c>, <c>{"members":["id",...]}</c> or a bare JSON array of ids.
/// </summary>
public static class ReplaceGroupMembers
{
    internal static void Map(RouteGroupBuilder groups) =>
        groups.MapPut("/{group_id}/members", HandleAsync).WithName(nameof(ReplaceGroupMembers));

    private static Task<IResult> HandleAsync([AsParameters] GroupScope scope, JsonElement body)
    {
        JsonElement? listed = body.ValueKind == JsonValueKind.Object
            ? body.TryGetProperty("members", out var members) ? members : null
            : body;
        if (!GroupInput.TryReadMembers(listed, "members", out var wanted, out var error))
        {
            return Task.FromResult(Chat21.BadRequest(error!));
        }

        return scope.ChangeAsync(group =>
        {
            if (!group.CanManage(scope.Caller))
            {
                return GroupDecision.Reject(Chat21.Forbidden("Only the group owner or an admin can set the members"));
            }

            var wantedSet = wanted.ToHashSet(StringComparer.Ordinal);
            var joined = wanted.Where(m => !group.IsMember(m)).ToList();
            var left = group.Members.Where(m => !wantedSet.Contains(m)).ToList();
            if (joined.Count == 0 && left.Count == 0)
            {
                return GroupDecision.Reject(Chat21.Success());
            }

            var now = scope.Now();
            return GroupDecision.Accept(
                Chat21.Success(),
                GroupWrites.RemoveMembers(group, left),
                GroupWrites.AddMembers(group.AppId, group.GroupId, joined, now),
                GroupWrites.Touch(group, now))
                .Announcing(new GroupMembersChanged
                {
                    AppId = group.AppId,
                    GroupId = group.GroupId,
                    Change = GroupMembershipChange.Replaced,
                    Joined = joined,
                    Left = left,
                    Members = [.. group.Members.Where(wantedSet.Contains), .. joined],
                    ChangedBy = scope.Caller.UserId,
                    Version = group.Version + 1,
                });
        });
    }
}
