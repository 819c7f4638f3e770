using Chat.ServiceDefaults.Identity;

namespace Chat.Groups.Features.Groups;

public static class GroupsApi
{
    /// <summary>Chat21's group routes, every one scoped to the caller's app.</summary>
    public static IEndpointRouteBuilder MapGroupsApi(this IEndpointRouteBuilder app)
    {
        var groups = app.MapGroup("/api/{app_id}/groups")
            .WithTags("Groups")
            .AddEndpointFilter<CallerAppFilter>();
        CreateGroup.Map(groups);
        ListMyGroups.Map(groups);
        GetGroup.Map(groups);
        RenameGroup.Map(groups);
        DeleteGroup.Map(groups);
        AddGroupMember.Map(groups);
        RemoveGroupMember.Map(groups);
        ReplaceGroupMembers.Map(groups);
        UpdateGroupAttributes.Map(groups);
        return app;
    }
}
