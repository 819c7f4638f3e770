using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Chat.ServiceDefaults.Telemetry;

/// <summary>
/// Logs, metrics and traces through OpenTelemetry, exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set
/// (the AppHost sets it to its dashboard).
/// </summary>
public static class TelemetryExtensions
{
    /// <summary>The suite's own activity sources and meters (<c>Chat.Batching</c>, <c>Chat.Outbox</c>, ...).</summary>
    public const string OwnSources = "Chat.*";

    /// <summary>
    /// Whether traces are collected: only with somewhere to send them. While anything listens to ASP.NET Core's activity
    /// source it starts an Activity for every request, and an outgoing call under it another (measured in the gateway: a
    /// visible share of its CPU per request), so without an exporter no tracer is registered and benchmarks run without it.
    /// </summary>
    public static bool IsTracing(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    public static IHostApplicationBuilder ConfigureOpenTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(
                Extensions.ServiceName(builder),
                serviceInstanceId: GivesInstanceId(builder.Configuration) ? null : Environment.MachineName,
                autoGenerateServiceInstanceId: false))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("MassTransit", OwnSources));
        if (IsTracing(builder.Configuration))
        {
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsProbe(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddSource("MassTransit", OwnSources));
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>
    /// Whether <c>OTEL_RESOURCE_ATTRIBUTES</c> names this instance (the AppHost names each replica so): a service.instance.id
    /// added here would win over it and make the replicas one instance in the dashboard. Elsewhere the host name (a pod's) is.
    /// </summary>
    private static bool GivesInstanceId(IConfiguration configuration) =>
        configuration["OTEL_RESOURCE_ATTRIBUTES"]?.Split(',').Any(attribute => attribute.TrimStart().StartsWith("service.instance.id=", StringComparison.Ordinal)) == true;

    /// <summary>Health probes arrive every few seconds from every orchestrator: they would drown the traces that matter.</summary>
    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments(DefaultEndpoints.HealthPath) || path.StartsWithSegments(DefaultEndpoints.AlivePath);
}
