using Chat.ServiceDefaults.Logging;
using Chat.TestInfrastructure;

namespace Chat.ServiceDefaults.Tests.Logging;

public sealed class RecurringWarningTests
{
    [Fact]
    public void The_first_occurrence_is_reported_then_one_report_an_interval_counts_what_happened_since()
    {
        var clock = new ManualClock();
        var warning = new RecurringWarning(clock, TimeSpan.FromSeconds(10));

        Assert.True(warning.TryReport(out var first));
        Assert.Equal(1, first);
        for (var i = 0; i < 5; i++)
        {
            clock.Now += TimeSpan.FromSeconds(1);
            Assert.False(warning.TryReport(out _));
        }

        clock.Now += TimeSpan.FromSeconds(5);
        Assert.True(warning.TryReport(out var second));
        Assert.Equal(6, second);
        Assert.False(warning.TryReport(out _));
    }
}
