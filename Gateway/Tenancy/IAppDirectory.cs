namespace Chat.Gateway.Tenancy;

/// <summary>Where the gateway looks up tenants (apps) and their secrets.</summary>
internal interface IAppDirectory
{
    /// <summary>The app with this id, or null when there is none.</summary>
    ValueTask<TenantApp?> FindAsync(string appId, CancellationToken cancellationToken);
}

/// <summary>A tenant as the gateway needs it: who it is, whether it may call, and how its tokens are signed.</summary>
internal sealed record TenantApp(string AppId, string OrgName, bool Enabled, string? JwtSecret);

internal static class AppIds
{
    public const string Default = "default";
    public const string DefaultOrg = "default";

    /// <summary>Path segments that name seed 002's APIs under <c>/api</c>, so they can never be an app id.</summary>
    private static readonly string[] Reserved = ["auth", "conversations", "messages", "tools"];

    /// <summary><c>[a-z0-9][a-z0-9_-]{0,63}</c> and not reserved.</summary>
    public static bool IsValid(ReadOnlySpan<char> appId)
    {
        if (appId.IsEmpty || appId.Length > 64 || !char.IsAsciiLetterLower(appId[0]) && !char.IsAsciiDigit(appId[0]))
        {
            return false;
        }

        foreach (var c in appId[1..])
        {
            if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c) && c is not '_' and not '-')
            {
                return false;
            }
        }

        foreach (var reserved in Reserved)
        {
            if (appId.SequenceEqual(reserved))
            {
                return false;
            }
        }

        return true;
    }
}
