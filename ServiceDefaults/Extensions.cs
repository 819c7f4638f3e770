using Chat.ServiceDefaults.Caching;
using Chat.ServiceDefaults.Errors;
using Chat.ServiceDefaults.Http;
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
    /// With OTLP tracing on, the tracer's listener starts them anyway.
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
        builder.AddServiceTelemetry();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddProblemDetails();
        builder.Services.TryAddSingleton<IErrorResponseWriter, ProblemDetailsErrorWriter>();
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), tags: [HealthTags.Live]);

        builder.Services.AddTransient<ServiceDiscoveryHandler>();
        builder.Services.AddTransient<ResilienceHandler>();
        builder.Services.ConfigureHttpClientDefaults(http => http
            .AddHttpMessageHandler<ResilienceHandler>()
            .AddHttpMessageHandler<ServiceDiscoveryHandler>());

        if (builder.Configuration.GetConnectionString(CacheConnectionName) is { } cache)
        {
            builder.AddServiceCache(cache);
        }

        return builder;
    }

    /// <summary><c>/health</c> (ready: every dependency reachable) and <c>/alive</c> (the process answers).</summary>
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

    private static void AddServiceCache(this IHostApplicationBuilder builder, string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.ClientName = builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName;
        RedisConnection.Register(builder.Services, options);
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: [HealthTags.Ready]);
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

internal sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await redis.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("Redis is not reachable.", exception);
        }
    }
}
