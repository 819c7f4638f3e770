using System.Text.Json.Serialization;
using Chat.Contracts;
using Chat.ServiceDefaults.Dialects;
using Chat.ServiceDefaults.Messaging;

namespace Chat.Groups.Features.Groups;

/// <summary><c>PUT /api/{app_id}/groups/{group_id}</c> <c>{"group_name":"..."}</c>: the owner or an admin renames the group.</summary>
public static class RenameGroup
{
    public sealed record Request([property: JsonPropertyName("group_name")] string? GroupName);

    internal static void Map(RouteGroupBuilder groups) =>
        groups.MapPut("/{group_id}", HandleAsync).WithName(nameof(RenameGroup));

    private static Task<IResult> HandleAsync([AsParameters] GroupScope scope, Request request)
    {
        if (GroupInput.NameError(request.GroupName) is { } error)
        {
            return Task.FromResult(Chat21.BadRequest(error));
        }

        var name = request.GroupName!;
        return scope.ChangeAsync(group =>
        {
            if (!group.CanManage(scope.Caller))
            {
                return GroupDecision.Reject(Chat21.Forbidden("Only the group owner or an admin can rename the group"));
            }

            var now = scope.Now();
            var renamed = group with { Name = name, UpdatedOn = now, Version = group.Version + 1 };
            return GroupDecision.Accept(
                Chat21.Result(renamed.ToChat21()),
                GroupWrites.Touch(group, now, name: name))
                .Announcing(new GroupUpdated
                {
                    AppId = group.AppId,
                    GroupId = group.GroupId,
                    Name = name,
                    Attributes = group.Attributes,
                    ChangedBy = scope.Caller.UserId,
                    Version = renamed.Version,
                });
        });
    }
}
