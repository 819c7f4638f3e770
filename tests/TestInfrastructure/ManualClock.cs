namespace Chat.TestInfrastructure;

/// <summary>A clock that stands still until a test moves it.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public ManualClock()
        : this(new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero))
    {
    }

    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}
