using Microsoft.AspNetCore.Http;

namespace Chat.ServiceDefaults.Identity;

/// <summary>The verified caller of a request, as the gateway established it.</summary>
public sealed record CallerIdentity(
    string AppId,
    string UserId,
    string? UserName,
    IReadOnlyList<string> Roles,
    string TokenKind)
{
    public bool IsAdmin => Roles.Contains(Role.Admin, StringComparer.Ordinal);

    /// <summary>Lets a minimal-API handler take the caller as a parameter; set by <see cref="VerifiedIdentityMiddleware"/>.</summary>
    public static ValueTask<CallerIdentity?> BindAsync(HttpContext context) =>
        ValueTask.FromResult(context.Features.Get<CallerIdentity>());
}

public static class Role
{
    public const string Admin = "admin";
    public const string User = "user";
}

/// <summary>How the caller proved who they are (SPEC §3).</summary>
public static class TokenKind
{
    public const string Jwt = "jwt";
    public const string UserKey = "ek";
    public const string AdminKey = "ak";
    public const string AppToken = "app";
    public const string Session = "session";
    public const string Operator = "operator";
}
