using Chat.ServiceDefaults.Dialects;
using Chat.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Chat.Messaging.Features.Conversations;

/// <summary>What every read of a user's timeline binds: whose it is, the caller, and the paging asked for.</summary>
internal readonly record struct TimelineScope(
    [property: FromRoute(Name = "app_id")] string AppId,
    [property: FromRoute(Name = "user_id")] string UserId,
    [property: FromQuery(Name = "limit")] int? Limit,
    CallerIdentity Caller,
    NpgsqlDataSource DataSource,
    CancellationToken CancellationToken)
{
    public const int DefaultLimit = 200;
    public const int MaxLimit = 1000;

    /// <summary>Why the caller may not read this timeline with this paging, or null: a user reads only their own, admins any.</summary>
    public IResult? Refusal() =>
        !Caller.IsAdmin && !string.Equals(Caller.UserId, UserId, StringComparison.Ordinal)
            ? Chat21.Forbidden("You can only read your own conversations")
        : Limit is < 1 or > MaxLimit ? Chat21.BadRequest($"limit must be between 1 and {MaxLimit}")
        : null;

    public int PageSize => Limit ?? DefaultLimit;
}
