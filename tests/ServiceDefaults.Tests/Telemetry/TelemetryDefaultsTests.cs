using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Trace;

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

    [Theory]
    [InlineData("service.instance.id=messaging-abc123", "messaging-abc123")]
    [InlineData("deployment.environment=dev", null)]
    public void A_replica_keeps_the_instance_id_its_orchestrator_gives_it(string attributes, string? instanceId)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:1",
            ["OTEL_RESOURCE_ATTRIBUTES"] = attributes,
        });
        builder.AddServiceDefaults();
        using var host = builder.Build();

        var resource = host.Services.GetRequiredService<TracerProvider>().GetResource();

        Assert.Equal(instanceId ?? Environment.MachineName, resource.Attributes.Single(attribute => attribute.Key == "service.instance.id").Value);
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("0", false)]
    public async Task Traces_are_sampled_at_the_ratio_the_environment_names(string ratio, bool recorded)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:1",
            ["OTEL_TRACES_SAMPLER"] = "parentbased_traceidratio",
            ["OTEL_TRACES_SAMPLER_ARG"] = ratio,
        });
        builder.AddServiceDefaults();
        using var host = builder.Build();
        await host.StartAsync();
        using var source = new ActivitySource($"Chat.Probe.{Guid.NewGuid():N}");

        using var activity = source.StartActivity("root");

        Assert.Equal(recorded, activity?.Recorded ?? false);
        await host.StopAsync();
    }
}
