using System.Text.Json.Serialization;
using Chat.Contracts;
using Chat.ServiceDefaults.Dialects;
using Chat.ServiceDefaults.Identity;
using Chat.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Chat.Groups.Features.Groups;

/// <summary><c>POST /api/{app_id}/groups/{group_id}/members</c>: the owner or an admin adds one member.</summary>
public static class AddGroupMember
{
    public sealed record Request([property: JsonPropertyName("member_id")] string? MemberId);

    internal static void Map(RouteGroupBuilder groups) =>
        groups.MapPost("/{group_id}/members", HandleAsync).WithName(nameof(AddGroupMember));

    private static Task<IResult> HandleAsync(
        [FromRoute(Name = "app_id")] string appId,
        [FromRoute(Name = "group_id")] string groupId,
        Request request,
        CallerIdentity caller,
        NpgsqlDataSource dataSource,
        Outbox outbox,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (!GroupInput.IsValidId(request.MemberId))
        {
            return Task.FromResult(Chat21.BadRequest("member_id is mandatory"));
        }

        var memberId = request.MemberId;
        return GroupChange.RunAsync(dataSource, outbox, appId, groupId, group =>
        {
            if (!group.CanManage(caller))
            {
                return GroupDecision.Reject(Chat21.Forbidden("Only the group owner or an admin can add members"));
            }

            if (group.IsMember(memberId))
            {
                return GroupDecision.Reject(Chat21.Success());
            }

            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            return GroupDecision.Accept(
                Chat21.Success(),
                GroupWrites.AddMembers(appId, groupId, [memberId], now),
                GroupWrites.Touch(group, now),
                Outbox.Command(new GroupMembersChanged
                {
                    AppId = appId,
                    GroupId = groupId,
                    Change = GroupMembershipChange.Joined,
                    Joined = [memberId],
                    Left = [],
                    Members = [.. group.Members, memberId],
                    ChangedBy = caller.UserId,
                    Version = group.Version + 1,
                }));
        }, cancellationToken);
    }
}
