namespace Chat.ServiceDefaults;

/// <summary>Tags that split health checks between readiness (<c>/health</c>) and liveness (<c>/alive</c>).</summary>
public static class HealthTags
{
    public const string Ready = "ready";
    public const string Live = "live";
}
