namespace Chat.Messaging.Features.Messages;

/// <summary>Settings of sending, from <c>Messaging</c>.</summary>
public sealed class MessagingOptions
{
    public const string Section = "Messaging";

    /// <summary>
    /// How long a send to a group waits for Messaging's directory to learn that the group exists or that
    /// the sender joined it, before refusing: Groups announces changes asynchronously, and a client that
    /// creates a group and sends to it at once must not be refused for being quicker than the event.
    /// </summary>
    public TimeSpan GroupMembershipWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Direct-message transactions that may be open at once (see <see cref="DirectMessageWriter"/>).</summary>
    public int DirectWriters { get; set; } = 4;

    /// <summary>The most direct messages stored in one transaction.</summary>
    public int DirectBatch { get; set; } = 64;

    /// <summary>Group-message transactions that may be open at once (see <see cref="GroupMessageWriter"/>).</summary>
    public int GroupWriters { get; set; } = 4;

    /// <summary>The most messages to one group stored in one transaction.</summary>
    public int GroupBatch { get; set; } = 64;

    /// <summary>Chat21's per-sender limit (see <see cref="SenderRateLimiter"/>), from <c>Messaging:SenderRateLimit</c>.</summary>
    public SenderRateLimitOptions SenderRateLimit { get; set; } = new();
}

/// <summary>A sender's bucket: the service's size and refill rate, and any app's own (either may be left to the service's).</summary>
public sealed class SenderRateLimitOptions
{
    public int Capacity { get; set; } = SenderRateLimiter.DefaultCapacity;

    public int RefillPerMinute { get; set; } = SenderRateLimiter.DefaultRefillPerMinute;

    /// <summary>Per app id, under <c>Messaging:SenderRateLimit:Apps:{app_id}</c> (matched as configuration keys are, ignoring case).</summary>
    public Dictionary<string, AppSenderRateLimit> Apps { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

public sealed class AppSenderRateLimit
{
    public int? Capacity { get; set; }

    public int? RefillPerMinute { get; set; }
}
