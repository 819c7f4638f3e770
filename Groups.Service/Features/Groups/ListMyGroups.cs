using Chat.ServiceDefaults.Dialects;
using Chat.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Chat.Groups.Features.Groups;

/// <summary><c>GET /api/{app_id}/groups</c>: the groups the caller belongs to, most recently changed first.</summary>
public static class ListMyGroups
{
    internal static void Map(RouteGroupBuilder groups) =>
        groups.MapGet("/", HandleAsync).WithName(nameof(ListMyGroups));

    private static async Task<IResult> HandleAsync(
        [FromRoute(Name = "app_id")] string appId,
        CallerIdentity caller,
        NpgsqlDataSource dataSource,
        CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT g.group_id, g.name, g.owner, g.attributes::text, g.created_on, g.updated_on, g.version,
                   ARRAY(SELECT m.member_id FROM group_members m
                         WHERE m.app_id = g.app_id AND m.group_id = g.group_id ORDER BY m.joined_on, m.member_id)
            FROM group_members mine
            -- One keyed lookup per membership, whatever the generic plan guesses a member's groups number: a hash join
            -- would read every group of the app to find a few.
            CROSS JOIN LATERAL (
                SELECT * FROM groups g WHERE g.app_id = mine.app_id AND g.group_id = mine.group_id LIMIT 1) g
            WHERE mine.app_id = $1 AND mine.member_id = $2
            ORDER BY g.updated_on DESC, g.group_id
            """);
        command.Parameters.Add(new() { Value = appId });
        command.Parameters.Add(new() { Value = caller.UserId });
        var groups = new List<Chat21Group>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            groups.Add(new Group(
                appId,
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetInt64(4),
                reader.GetInt64(5),
                reader.GetInt64(6),
                reader.GetFieldValue<string[]>(7)).ToChat21());
        }

        return Chat21.Result(groups);
    }
}
