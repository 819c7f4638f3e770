using System.Text.Json;

namespace Chat.Contracts;

/// <summary>A group was created; <see cref="Members"/> is the full member set, owner included.</summary>
public sealed record GroupCreated : IntegrationEvent
{
    public required string GroupId { get; init; }
    public required string Name { get; init; }
    public required string Owner { get; init; }
    public required IReadOnlyList<string> Members { get; init; }
    public JsonElement? Attributes { get; init; }
    public required long Version { get; init; }
}

/// <summary>
/// Membership changed. <see cref="Change"/> is one of <see cref="GroupMembershipChange"/>;
/// <see cref="Members"/> is always the complete set after the change, so a consumer can apply it
/// without knowing the earlier state. <see cref="Version"/> orders changes of one group.
/// </summary>
public sealed record GroupMembersChanged : IntegrationEvent
{
    public required string GroupId { get; init; }
    public required string Change { get; init; }
    public required IReadOnlyList<string> Joined { get; init; }
    public required IReadOnlyList<string> Left { get; init; }
    public required IReadOnlyList<string> Members { get; init; }
    public required string ChangedBy { get; init; }
    public required long Version { get; init; }
}

public static class GroupMembershipChange
{
    public const string Joined = "joined";
    public const string Left = "left";
    public const string Replaced = "replaced";
}

/// <summary>The group's name or attributes changed.</summary>
public sealed record GroupUpdated : IntegrationEvent
{
    public required string GroupId { get; init; }
    public required string Name { get; init; }
    public JsonElement? Attributes { get; init; }
    public required string ChangedBy { get; init; }
    public required long Version { get; init; }
}

/// <summary>The group is gone; <see cref="Members"/> were its members at the time.</summary>
public sealed record GroupDeleted : IntegrationEvent
{
    public required string GroupId { get; init; }
    public required IReadOnlyList<string> Members { get; init; }
    public required string DeletedBy { get; init; }
    public required long Version { get; init; }
}
