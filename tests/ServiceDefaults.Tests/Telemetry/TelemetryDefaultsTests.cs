using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Chat.ServiceDefaults.Tests.Telemetry;

public sealed class TelemetryDefaultsTests
{
    [Theory]
    [InlineData(null, false)]
    [InlineData("http://127.0.0.1:1", true)]
    public async Task The_suites_sources_are_listened_to_only_with_an_otlp_endpoint(string? endpoint, bool listened)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint });
        builder.AddServiceDefaults();
        using var host = builder.Build();
        await host.StartAsync();
        var name = $"Chat.Probe.{Guid.NewGuid():N}";
        using var source = new ActivitySource(name);
        using var meter = new Meter(name);
        var histogram = meter.CreateHistogram<double>("probe.duration");

        Assert.Equal(listened, source.HasListeners());
        Assert.Equal(listened, histogram.Enabled);
        await host.StopAsync();
    }
}
