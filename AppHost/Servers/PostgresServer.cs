using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Chat.AppHost.Servers;

/// <summary>A PostgreSQL server run from the Debian binaries, trust authentication on 127.0.0.1 only.</summary>
public sealed class PostgresServerResource(string name, string command, string workingDirectory)
    : LocalServerResource(name, command, workingDirectory)
{
    public const string User = "postgres";

    public override ReferenceExpression ConnectionStringExpression => Password is null
        ? ReferenceExpression.Create($"Host={Endpoint.Property(EndpointProperty.IPV4Host)};Port={Endpoint.Property(EndpointProperty.Port)};Username={User}")
        : ReferenceExpression.Create($"Host={Endpoint.Property(EndpointProperty.IPV4Host)};Port={Endpoint.Property(EndpointProperty.Port)};Username={User};Password={Password}");

    internal List<PostgresDatabaseResource> Databases { get; } = [];
}

/// <summary>One service's database on a <see cref="PostgresServerResource"/>, created when the server is first ready.</summary>
public sealed class PostgresDatabaseResource(string name, PostgresServerResource parent)
    : Resource(name), IResourceWithParent<PostgresServerResource>, IResourceWithConnectionString
{
    public PostgresServerResource Parent { get; } = parent;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{Parent};Database={Name}");
}

public static class PostgresServerBuilderExtensions
{
    /// <summary>
    /// glibc's malloc returns freed memory to the kernel as soon as 128 KB sit free at the top of the heap and serves large
    /// blocks with mmap; a backend allocates and frees such blocks for every statement, and under send load spent about a
    /// sixth of its time in brk and munmap (measured with perf). Keeping 64 MB costs resident memory, no system calls.
    /// </summary>
    private const string MallocTunables = "glibc.malloc.trim_threshold=67108864:glibc.malloc.mmap_threshold=33554432:glibc.malloc.top_pad=16777216";

    public static IResourceBuilder<PostgresServerResource> AddPostgresServer(this IDistributedApplicationBuilder builder, string name)
    {
        var bin = PostgresBinDirectory(builder);
        var folder = LocalServer.FolderOf(builder, name);
        var cluster = Path.Combine(folder, "pgdata");
        var durable = LocalServer.Durable(builder);
        var port = LocalServer.Port(builder, name);
        var postgres = Path.Combine(bin, "postgres");
        var command = AsPostgresUser([postgres, .. ServerArguments(cluster, port, durable)]);
        var resource = new PostgresServerResource(name, command[0], folder);

        var healthCheck = $"{name}-ready";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, async cancellationToken =>
            await AnswersAsync(await resource.ConnectionStringExpression.GetValueAsync(cancellationToken) + ";Database=postgres", cancellationToken));

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(resource, async (_, cancellationToken) =>
            await InitializeClusterAsync(bin, folder, cluster, durable, cancellationToken));
        builder.Eventing.Subscribe<ResourceReadyEvent>(resource, async (ready, cancellationToken) =>
        {
            await CreateDatabasesAsync(resource, cancellationToken);
            // A database has no process of its own: it runs once it exists, and its health check tells the rest.
            var notifications = ready.Services.GetRequiredService<ResourceNotificationService>();
            foreach (var database in resource.Databases)
            {
                await notifications.PublishUpdateAsync(database, state => state with { State = KnownResourceStates.Running });
            }
        });

        return builder.AddResource(resource)
            .WithEndpoint(port: port, targetPort: port, name: LocalServerResource.EndpointName, isProxied: false)
            .WithArgs([.. command[1..]])
            .WithEnvironment("GLIBC_TUNABLES", MallocTunables)
            .WithHealthCheck(healthCheck);
    }

    public static IResourceBuilder<PostgresDatabaseResource> AddDatabase(this IResourceBuilder<PostgresServerResource> server, string name)
    {
        var database = new PostgresDatabaseResource(name, server.Resource);
        server.Resource.Databases.Add(database);
        var healthCheck = $"{name}-ready";
        server.ApplicationBuilder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, async cancellationToken =>
            await AnswersAsync(await database.ConnectionStringExpression.GetValueAsync(cancellationToken) ?? "", cancellationToken));
        return server.ApplicationBuilder.AddResource(database).WithHealthCheck(healthCheck);
    }

    private static List<string> ServerArguments(string cluster, int port, bool durable)
    {
        List<string> arguments =
        [
            "-D", cluster,
            "-p", port.ToString(CultureInfo.InvariantCulture),
            "-c", "listen_addresses=127.0.0.1",
            // TCP only: a socket path under a deep data folder would pass the 107-byte limit.
            "-c", "unix_socket_directories=",
            "-c", "max_connections=200",
            // Full-page images were 60% of the WAL under send load with checkpoints every 1 GB (one every ~40 s); with 4 GB
            // and 15 minutes the WAL per message fell from 8.5 KB to 3.3 KB (measured).
            "-c", "max_wal_size=4GB",
            "-c", "checkpoint_timeout=15min",
            // The send indexes outgrow 128 MB and backends then evict dirty pages themselves: with 1 GB, direct sends went from
            // ~5,700 to ~6,250 a second (measured). Pages are touched lazily, so an idle suite doesn't hold it.
            "-c", "shared_buffers=1GB",
        ];
        if (!durable)
        {
            arguments.AddRange(["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]);
        }

        return arguments;
    }

    /// <summary>
    /// A command line run as the <c>postgres</c> user when the AppHost is root (initdb and the server refuse root): through
    /// setpriv, which execs, so signals reach the program itself. The first item is the program.
    /// </summary>
    private static List<string> AsPostgresUser(List<string> command) => LocalServer.IsRoot
        ? ["setpriv", $"--reuid={PostgresServerResource.User}", $"--regid={PostgresServerResource.User}", "--init-groups", "--", .. command]
        : command;

    private static async Task InitializeClusterAsync(string bin, string folder, string cluster, bool durable, CancellationToken cancellationToken)
    {
        if (File.Exists(Path.Combine(cluster, "PG_VERSION")))
        {
            return;
        }

        // Until checkpoints recycle old WAL segments, each new one is zero-filled and synced under the WAL write lock: with
        // 16 MB segments that stopped every commit for 60-100 ms every ~1.6 s under send load and set the send p99; 1 MB
        // segments spread the same work into pauses of a few milliseconds (measured).
        List<string> initdb = [Path.Combine(bin, "initdb"), "-D", cluster, "-U", PostgresServerResource.User, "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--wal-segsize=1"];
        if (!durable)
        {
            initdb.Add("--no-sync");
        }

        if (LocalServer.IsRoot)
        {
            await RunAsync(["chown", $"{PostgresServerResource.User}:{PostgresServerResource.User}", folder], cancellationToken);
        }

        await RunAsync(AsPostgresUser(initdb), cancellationToken);
    }

    private static async Task RunAsync(List<string> command, CancellationToken cancellationToken)
    {
        var (program, arguments) = (command[0], command[1..]);
        var info = new ProcessStartInfo(program, arguments) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info) ?? throw new DistributedApplicationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new DistributedApplicationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await output}{await errors}");
        }
    }

    private static async Task CreateDatabasesAsync(PostgresServerResource server, CancellationToken cancellationToken)
    {
        var connectionString = await server.ConnectionStringExpression.GetValueAsync(cancellationToken);
        await using var connection = new NpgsqlConnection(connectionString + ";Database=postgres;Pooling=false");
        await connection.OpenAsync(cancellationToken);
        foreach (var database in server.Databases)
        {
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = database.Name } } };
            if (await exists.ExecuteScalarAsync(cancellationToken) is null)
            {
                // Resource names are identifiers Aspire has validated (letters, digits, hyphens); they can't be parameters.
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Name}\"", connection);
                await create.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }

    private static async Task<HealthCheckResult> AnswersAsync(string connectionString, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false;Timeout=2");
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy(exception.Message);
        }
    }

    /// <summary>The newest installed PostgreSQL's bin folder (/usr/lib/postgresql/&lt;major&gt;/bin).</summary>
    private static string PostgresBinDirectory(IDistributedApplicationBuilder builder)
    {
        const string root = "/usr/lib/postgresql";
        var majors = Directory.Exists(root)
            ? Directory.GetDirectories(root).Select(Path.GetFileName).OfType<string>()
                .Where(major => int.TryParse(major, out _)).OrderByDescending(int.Parse).ToArray()
            : [];
        return Path.GetDirectoryName(LocalServer.Binary(builder, "postgresql", [.. majors.Select(major => $"{root}/{major}/bin/postgres"), $"{root}/15/bin/postgres"]))!;
    }
}
