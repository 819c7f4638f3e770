using System.Collections.Frozen;
using System.Text;
using Microsoft.Extensions.Options;

namespace Chat.Gateway.Tenancy;

/// <summary>
/// Apps from configuration: <c>Apps:Default</c> is the app <c>default</c>, <c>Apps:Tenants:&lt;app_id&gt;</c> the
/// others. Rebuilt when configuration reloads.
/// </summary>
internal sealed class ConfiguredAppDirectory : IAppDirectory, IDisposable
{
    /// <summary>HS256 keys shorter than 128 bits are refused by the token library; say so at startup instead.</summary>
    private const int MinimumSecretBytes = 16;

    private readonly IDisposable? _subscription;
    private volatile FrozenDictionary<string, TenantApp> _apps;

    public ConfiguredAppDirectory(IOptionsMonitor<AppsOptions> options)
    {
        _apps = Build(options.CurrentValue);
        _subscription = options.OnChange(changed => _apps = Build(changed));
    }

    public ValueTask<TenantApp?> FindAsync(string appId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_apps.GetValueOrDefault(appId));

    public void Dispose() => _subscription?.Dispose();

    private static FrozenDictionary<string, TenantApp> Build(AppsOptions options)
    {
        var apps = new Dictionary<string, TenantApp>(StringComparer.Ordinal)
        {
            [AppIds.Default] = Describe(AppIds.Default, options.Default, "Apps:Default"),
        };
        foreach (var (appId, app) in options.Tenants)
        {
            if (!AppIds.IsValid(appId))
            {
                throw new InvalidOperationException(
                    $"Apps:Tenants:{appId} is not a valid app id ([a-z0-9][a-z0-9_-]{{0,63}}, not auth/conversations/messages/tools).");
            }

            apps[appId] = Describe(appId, app, $"Apps:Tenants:{appId}");
        }

        return apps.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static TenantApp Describe(string appId, AppOptions app, string section)
    {
        var secret = string.IsNullOrEmpty(app.JwtSecret) ? null : app.JwtSecret;
        if (secret is not null && Encoding.UTF8.GetByteCount(secret) < MinimumSecretBytes)
        {
            throw new InvalidOperationException($"{section}:JwtSecret must be at least {MinimumSecretBytes} bytes (HS256).");
        }

        return new TenantApp(appId, app.OrgName ?? AppIds.DefaultOrg, app.Enabled, secret);
    }
}

internal sealed class AppsOptions
{
    public AppOptions Default { get; set; } = new();

    public Dictionary<string, AppOptions> Tenants { get; } = new(StringComparer.Ordinal);
}

internal sealed class AppOptions
{
    public string? JwtSecret { get; set; }

    public bool Enabled { get; set; } = true;

    public string? OrgName { get; set; }
}
