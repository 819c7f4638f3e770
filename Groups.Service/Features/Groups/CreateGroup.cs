using System.Text.Json;
using System.Text.Json.Serialization;
using Chat.Contracts;
using Chat.ServiceDefaults.Dialects;
using Chat.ServiceDefaults.Http;
using Chat.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Chat.Groups.Features.Groups;

/// <summary>
/// <c>POST /api/{app_id}/groups</c>: the caller creates a group, becoming its owner and a member; stored with other groups
/// created at the same time (<see cref="GroupCreations"/>).
/// </summary>
public static class CreateGroup
{
    public sealed record Request(
        [property: JsonPropertyName("group_name")] string? GroupName,
        [property: JsonPropertyName("group_members")] JsonElement? GroupMembers,
        [property: JsonPropertyName("group_id")] string? GroupId,
        [property: JsonPropertyName("attributes")] JsonElement? Attributes);

    public sealed record Response(bool Success, Chat21Group Group);

    internal static void Map(RouteGroupBuilder groups) =>
        groups.MapPost("/", HandleAsync).WithName(nameof(CreateGroup));

    private static async Task<IResult> HandleAsync(
        [FromRoute(Name = "app_id")] string appId,
        Request request,
        CallerIdentity caller,
        GroupCreations creations,
        TimeProvider clock)
    {
        if (GroupInput.NameError(request.GroupName) is { } nameError)
        {
            return Chat21.BadRequest(nameError);
        }

        if (!GroupInput.TryReadMembers(request.GroupMembers, "group_members", out var listed, out var membersError))
        {
            return Chat21.BadRequest(membersError!);
        }

        if (GroupInput.AttributesError(request.Attributes) is { } attributesError)
        {
            return Chat21.BadRequest(attributesError);
        }

        if (request.GroupId is not null && !GroupInput.IsValidId(request.GroupId))
        {
            return Chat21.BadRequest("group_id is not a valid id");
        }

        var groupId = request.GroupId ?? $"group-{Guid.NewGuid()}";
        var members = new List<string>(listed.Count + 1) { caller.UserId };
        members.AddRange(listed.Where(m => !string.Equals(m, caller.UserId, StringComparison.Ordinal)));
        var attributes = GroupInput.AttributesJson(request.Attributes);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();

        var created = new GroupCreated
        {
            AppId = appId,
            GroupId = groupId,
            Name = request.GroupName!,
            Owner = caller.UserId,
            Members = members,
            Attributes = request.Attributes is { ValueKind: JsonValueKind.Object } ? request.Attributes : null,
            Version = 1,
        };
        try
        {
            await creations.CreateAsync(new GroupCreation(created, attributes, now));
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return Chat21.Error(StatusCodes.Status409Conflict, "Group already exists");
        }

        var group = new Group(appId, groupId, request.GroupName!, caller.UserId, attributes, now, now, 1, members);
        return JsonBody.Created($"/api/{appId}/groups/{Uri.EscapeDataString(groupId)}", new Response(true, group.ToChat21()));
    }
}
