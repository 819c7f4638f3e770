using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Chat.AppHost.Hosting;

/// <summary>The AppHost's own log on the console: one line per entry, levels from <c>Logging:LogLevel</c>.</summary>
internal static class ConsoleLogging
{
    public static ILoggerFactory Create(IConfiguration configuration) => LoggerFactory.Create(logging => logging
        .SetMinimumLevel(LogLevel.Information)
        .AddConfiguration(configuration.GetSection("Logging"))
        .AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss ";
        }));
}
