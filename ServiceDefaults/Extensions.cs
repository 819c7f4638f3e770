using Chat.ServiceDefaults.Errors;
using Chat.ServiceDefaults.Identity;
using Chat.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Chat.ServiceDefaults;

/// <summary>What every process of the suite shares: telemetry, logs, health, errors, HTTP clients, cache.</summary>
public static class Extensions
{
    public const string CacheConnectionName = "cache";

    /// <summary>
    /// Log levels every process starts from; the lowest-priority source, so appsettings and environment
    /// variables override them. Per-request framework logs and per-command database logs would cost
    /// more than the requests themselves. Hosting's diagnostics logger is off: while it is on (at any level)
    /// ASP.NET Core starts an Activity for every request only to put trace ids in log scopes, and an outgoing
    /// HTTP call under it starts another (measured in the gateway: a visible share of its CPU per request).
    /// With OTLP tracing on, the tracer's listener starts them anyway (<see cref="TelemetryExtensions.IsTracing"/>).
    /// </summary>
    private static readonly Dictionary<string, string?> DefaultLogLevels = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "None",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        ["Logging:LogLevel:Npgsql"] = "Warning",
        ["Logging:LogLevel:MassTransit"] = "Warning",
        ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
    };

    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = DefaultLogLevels });
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(options =>
        {
            options.IncludeScopes = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            options.UseUtcTimestamp = true;
        });
        builder.ConfigureOpenTelemetry();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddProblemDetails();
        builder.Services.TryAddSingleton<IErrorResponseWriter, ProblemDetailsErrorWriter>();
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), tags: [HealthTags.Live]);

        // Clients from IHttpClientFactory resolve service names (services:<name>:http:0) and retry transient failures;
        // a retried POST could act twice, so only safe methods are retried. The gateway's forwarder is not one of them:
        // it streams bodies through an invoker of its own.
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler(resilience => resilience.Retry.DisableForUnsafeHttpMethods());
            http.AddServiceDiscovery();
        });

        if (builder.Configuration.GetConnectionString(CacheConnectionName) is not null)
        {
            builder.AddServiceCache();
        }

        return builder;
    }

    /// <summary>The service's name in telemetry, queues and client names: <c>OTEL_SERVICE_NAME</c>, else the application's.</summary>
    public static string ServiceName(IHostApplicationBuilder builder) =>
        builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName;

    /// <summary>
    /// Makes a health check a client integration registered (by <paramref name="registeredName"/>) one of ours: listed by
    /// <c>/health</c> as <paramref name="name"/>, reporting <paramref name="failureStatus"/> when it fails.
    /// </summary>
    internal static void AdoptHealthCheck(this IHostApplicationBuilder builder, string registeredName, string name, HealthStatus failureStatus) =>
        builder.Services.Configure<HealthCheckServiceOptions>(options =>
        {
            var registration = options.Registrations.SingleOrDefault(registration => registration.Name == registeredName)
                ?? throw new InvalidOperationException($"The health check {registeredName} is not registered (turned off in settings?); /health needs it.");
            registration.Name = name;
            registration.FailureStatus = failureStatus;
            registration.Tags.Add(HealthTags.Ready);
        });

    /// <summary><c>/health</c> (ready: the database reachable; the broker and cache Degraded when not) and <c>/alive</c> (the process answers).</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseMiddleware<ErrorHandlingMiddleware>();
        app.MapHealthChecks(DefaultEndpoints.HealthPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(HealthTags.Ready) || check.Tags.Contains(HealthTags.Live),
            ResponseWriter = DefaultEndpoints.WriteHealthAsync,
        });
        app.MapHealthChecks(DefaultEndpoints.AlivePath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(HealthTags.Live),
            ResponseWriter = DefaultEndpoints.WriteHealthAsync,
        });
        return app;
    }

    /// <summary>Services (not the gateway) accept a caller only with the gateway's signed identity.</summary>
    public static WebApplication UseVerifiedIdentity(this WebApplication app)
    {
        app.UseMiddleware<VerifiedIdentityMiddleware>();
        return app;
    }

    /// <summary>
    /// Redis from <c>ConnectionStrings:cache</c>. The client connects while the host starts, before the server takes
    /// requests: connected on first use instead, a request made the client's synchronous connect, and under load at start-up
    /// every other request thread queued behind the container's lock while the connect waited for a pool thread (measured:
    /// a Messaging replica given send load before anything had used Redis answered nothing, not even <c>/alive</c>, for
    /// over a minute). Its health check reports an unreachable Redis as Degraded: sends go on without it (rate limits per
    /// replica, realtime streams polling), so taking the pods out of rotation would turn a degraded service into an outage.
    /// </summary>
    private static void AddServiceCache(this IHostApplicationBuilder builder)
    {
        builder.AddRedisClient(
            CacheConnectionName,
            settings =>
            {
                settings.DisableTracing = !TelemetryExtensions.IsTracing(builder.Configuration);
                // The connect at start-up above is Aspire's auto-activation: a setting must not turn it off.
                settings.DisableAutoActivation = false;
            },
            options =>
            {
                options.AbortOnConnectFail = false;
                // While Redis is down a command fails at once instead of waiting in the client's backlog for the timeout:
                // every caller has a way on without Redis, and a send must not wait seconds for it.
                options.BacklogPolicy = BacklogPolicy.FailFast;
                options.ClientName = ServiceName(builder);
            });
        builder.AdoptHealthCheck("StackExchange.Redis", "redis", HealthStatus.Degraded);
    }
}

public static class DefaultEndpoints
{
    public const string HealthPath = "/health";
    public const string AlivePath = "/alive";

    internal static Task WriteHealthAsync(HttpContext context, HealthReport report) =>
        context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(
                entry => entry.Key,
                entry => new { status = entry.Value.Status.ToString(), description = entry.Value.Description }),
        });
}
