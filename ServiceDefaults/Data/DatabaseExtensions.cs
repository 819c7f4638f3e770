using System.Reflection;
using Chat.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Chat.ServiceDefaults.Data;

public static class DatabaseExtensions
{
    /// <summary>
    /// Registers the service's <see cref="NpgsqlDataSource"/> from <c>ConnectionStrings:{connectionName}</c> (Aspire's
    /// client, with our connection defaults), its readiness check, and the migrations embedded in
    /// <paramref name="migrationsAssembly"/> (plus the outbox and inbox tables), applied before the service starts listening.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDatabase(
        this IHostApplicationBuilder builder, string connectionName, Assembly migrationsAssembly)
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{connectionName} is not configured.");

        builder.AddNpgsqlDataSource(
            connectionName,
            settings => settings.DisableTracing = !TelemetryExtensions.IsTracing(builder.Configuration),
            dataSource => ApplyDefaults(dataSource.ConnectionStringBuilder, connectionString, builder.Environment.ApplicationName));
        builder.AdoptHealthCheck("PostgreSql", "postgres", HealthStatus.Unhealthy);
        builder.Services.AddSingleton<Migrator>();
        builder.Services.AddHostedService(services => new MigrationHostedService(
            services.GetRequiredService<Migrator>(),
            [typeof(DatabaseExtensions).Assembly, migrationsAssembly],
            services.GetRequiredService<ILogger<MigrationHostedService>>()));
        return builder;
    }

    /// <summary>
    /// Defaults for settings the connection string leaves out. A pool sized to the CPUs: more backends
    /// than cores only queue inside PostgreSQL, and on a small machine dozens of them thrash it.
    /// Automatic preparation: every query here is a fixed, parameterized text run many times, planned once
    /// (see below). No reset on close: see below.
    /// </summary>
    internal static void ApplyDefaults(NpgsqlConnectionStringBuilder settings, string connectionString, string applicationName)
    {
        // The generic builder holds only the keys the string names (Npgsql's own answers for every keyword it knows).
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>().Select(key => key.Replace(" ", "", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        settings.ApplicationName ??= applicationName;
        if (!given.Overlaps(["MaxPoolSize", "MaximumPoolSize"]))
        {
            settings.MaxPoolSize = Math.Max(8, 4 * Environment.ProcessorCount);
        }

        // Services keep no session state on a connection (the migrator releases its advisory lock
        // itself), so the reset Npgsql would run on every return to the pool is pure cost.
        if (!given.Contains("NoResetOnClose"))
        {
            settings.NoResetOnClose = true;
        }

        if (!given.Contains("MaxAutoPrepare"))
        {
            settings.MaxAutoPrepare = 64;
            settings.AutoPrepareMinUsages = 2;
        }

        // A prepared statement is planned anew for its parameters until PostgreSQL judges a generic plan no dearer, and
        // with skewed data it may never do so: measured, the list-my-groups query was planned on every execution, 150 µs
        // of planning for 13 µs of work. Every query here is a short key lookup or keyed write, joins written to be driven
        // by their keys, so the generic plan is the right one, made once per connection. Without JIT: it pays off only for
        // long analytic queries, and a generic plan's estimate for a skewed key (a user in every group) once had it
        // compile for 200 ms a list-my-groups query that found nothing.
        if (!given.Contains("Options"))
        {
            settings.Options = "-c plan_cache_mode=force_generic_plan -c jit=off";
        }
    }
}

/// <summary>Runs the migrations at start-up, waiting out a database that is still starting.</summary>
internal sealed class MigrationHostedService(Migrator migrator, Assembly[] assemblies, ILogger<MigrationHostedService> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await migrator.MigrateAsync(assemblies, cancellationToken);
                return;
            }
            catch (NpgsqlException exception) when (attempt < 30 && exception.IsTransient)
            {
                logger.LogWarning(exception, "Database not reachable yet (attempt {Attempt}); retrying in {Delay}", attempt, delay);
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 2000));
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
