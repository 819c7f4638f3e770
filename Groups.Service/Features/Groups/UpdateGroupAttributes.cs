using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Chat.Contracts;
using Chat.ServiceDefaults.Dialects;
using Chat.ServiceDefaults.Messaging;
using Chat.ServiceDefaults.Validation;

namespace Chat.Groups.Features.Groups;

/// <summary>
/// <c>PUT /api/{app_id}/groups/{group_id}/attributes</c> <c>{"attributes":{...}}</c>: the owner or an
/// admin merges keys into the group's attributes (as Chat21 does: given keys replace, others stay).
/// </summary>
public static class UpdateGroupAttributes
{
    public sealed record Request([property: JsonPropertyName("attributes")] JsonElement? Attributes);

    internal static void Map(RouteGroupBuilder groups) =>
        groups.MapPut("/{group_id}/attributes", HandleAsync).WithName(nameof(UpdateGroupAttributes));

    private static Task<IResult> HandleAsync([AsParameters] GroupScope scope, Request request)
    {
        if (request.Attributes is not { ValueKind: JsonValueKind.Object } changes)
        {
            return Task.FromResult(Chat21.BadRequest("attributes is mandatory and must be a JSON object"));
        }

        if (StoredText.JsonError(changes, "attributes") is { } error)
        {
            return Task.FromResult(Chat21.BadRequest(error));
        }

        return scope.ChangeAsync(group =>
        {
            if (!group.CanManage(scope.Caller))
            {
                return GroupDecision.Reject(Chat21.Forbidden("Only the group owner or an admin can change the attributes"));
            }

            var merged = group.AttributesJson is null ? new JsonObject() : JsonNode.Parse(group.AttributesJson)!.AsObject();
            foreach (var property in changes.EnumerateObject())
            {
                merged[property.Name] = JsonNode.Parse(property.Value.GetRawText());
            }

            var now = scope.Now();
            var updated = group with { AttributesJson = merged.ToJsonString(), UpdatedOn = now, Version = group.Version + 1 };
            return GroupDecision.Accept(
                Chat21.Result(updated.ToChat21()),
                GroupWrites.Touch(group, now, attributesJson: updated.AttributesJson))
                .Announcing(new GroupUpdated
                {
                    AppId = group.AppId,
                    GroupId = group.GroupId,
                    Name = group.Name,
                    Attributes = updated.Attributes,
                    ChangedBy = scope.Caller.UserId,
                    Version = updated.Version,
                });
        });
    }
}
