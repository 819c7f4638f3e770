namespace Chat.Messaging.Features.Realtime;

/// <summary>Settings of the event streams and feeds, from <c>Messaging:Events</c>.</summary>
public sealed class RealtimeOptions
{
    public const string Section = "Messaging:Events";

    /// <summary>How long a stream may stay silent before it sends a heartbeat comment.</summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often a stream reads its feed from the database when Redis can't deliver to it.</summary>
    public TimeSpan PollWithoutRedis { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long feed events are kept for clients resuming with <c>Last-Event-ID</c>.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);
}
