using Chat.ServiceDefaults.Dialects;
using Chat.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Chat.Groups.Features.Groups;

/// <summary><c>GET /api/{app_id}/groups/{group_id}</c>: a group, for its members and app admins.</summary>
public static class GetGroup
{
    internal static void Map(RouteGroupBuilder groups) =>
        groups.MapGet("/{group_id}", HandleAsync).WithName(nameof(GetGroup));

    private static async Task<IResult> HandleAsync(
        [FromRoute(Name = "app_id")] string appId,
        [FromRoute(Name = "group_id")] string groupId,
        CallerIdentity caller,
        NpgsqlDataSource dataSource,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var group = await Group.LoadAsync(connection, null, appId, groupId, forUpdate: false, cancellationToken);
        if (group is null)
        {
            return Chat21.NotFound("Group not found");
        }

        return group.CanRead(caller)
            ? Chat21.Result(group.ToChat21())
            : Chat21.Forbidden("Only members of the group can read it");
    }
}
