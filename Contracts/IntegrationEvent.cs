namespace Chat.Contracts;

/// <summary>
/// Base of every integration event. The outbox row id becomes the MassTransit MessageId, so a
/// consumer's inbox recognises a redelivery; <see cref="OccurredAt"/> is when the state changed.
/// </summary>
public abstract record IntegrationEvent
{
    public required string AppId { get; init; }

    public DateTimeOffset OccurredAt { get; init; } = DateTimeOffset.UtcNow;
}
