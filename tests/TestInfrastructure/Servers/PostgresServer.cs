using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Chat.TestInfrastructure.Servers;

/// <param name="DataDirectory">The instance's own folder; the cluster lives in its <c>pgdata</c> subfolder.</param>
/// <param name="Port">0 picks a free loopback port.</param>
/// <param name="Durable">false turns off fsync, synchronous commit and full-page writes: for tests only.</param>
public sealed record PostgresServerOptions(string DataDirectory, int Port = 0, bool Durable = true);

/// <summary>
/// A private PostgreSQL server on 127.0.0.1 with trust authentication, run from the Debian binaries.
/// initdb refuses root, so as root both initdb and the server run as the <c>postgres</c> user via
/// setpriv, which execs: the process we own is the postmaster itself.
/// </summary>
public sealed partial class PostgresServer : IAsyncDisposable
{
    private const string SuperUser = "postgres";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// glibc's malloc gives freed memory back to the kernel as soon as 128 KB sit free at the top of the heap, and
    /// serves blocks over a (moving) threshold with mmap. A backend's executor allocates and frees such blocks for every
    /// statement, so under load a backend spent about a sixth of its time in brk and munmap (measured with perf). Keeping
    /// up to 64 MB and serving blocks under 32 MB from the heap costs some resident memory per backend and no syscalls.
    /// </summary>
    private const string MallocTunables = "glibc.malloc.trim_threshold=67108864:glibc.malloc.mmap_threshold=33554432:glibc.malloc.top_pad=16777216";

    private readonly ChildProcess process;

    private PostgresServer(ChildProcess process, int port)
    {
        this.process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The postmaster's process id (also its process group id).</summary>
    public int ProcessId => process.Id;



    public static async Task<PostgresServer> StartAsync(PostgresServerOptions options, CancellationToken cancellationToken = default)
    {
        var binDirectory = ServerBinaries.PostgresBinDirectory();
        var root = Path.GetFullPath(options.DataDirectory);
        var clusterDirectory = Path.Combine(root, "pgdata");
        var runAs = Posix.IsRoot ? SuperUser : null;
        var log = new LogRing();

        await ServerDirectories.PrepareAsync(root, runAs, cancellationToken);
        if (!File.Exists(Path.Combine(clusterDirectory, "PG_VERSION")))
        {
            await InitializeClusterAsync(binDirectory, clusterDirectory, runAs, options.Durable, log, cancellationToken);
        }

        var port = LoopbackPorts.OrFree(options.Port);
        var process = await ServerStartup.StartAsync(
            "PostgreSQL",
            () => [port],
            () => ChildProcess.Start(ServerSpec(binDirectory, clusterDirectory, port, runAs, options.Durable), log),
            token => ProbeAsync(port, token),
            () => port = LoopbackPorts.Free(),
            portsArePicked: options.Port == 0,
            StartTimeout,
            log,
            cancellationToken);
        return new PostgresServer(process, port);
    }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username={SuperUser};Database={database}";

    /// <summary>Creates the database unless it exists.</summary>
    public async Task CreateDatabaseAsync(string database, CancellationToken cancellationToken = default)
    {
        if (!DatabaseName().IsMatch(database))
        {
            throw new ArgumentException($"'{database}' is not a database name this launcher creates ([A-Za-z0-9_-], up to 63).", nameof(database));
        }

        await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection)
        {
            Parameters = { new NpgsqlParameter { Value = database } },
        };
        if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
        {
            return;
        }

        // The name is validated above; identifiers cannot be parameters.
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
        try
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Created concurrently by another caller: the outcome is the same.
        }
    }

    /// <summary>SELECT 1 on the <c>postgres</c> database.</summary>
    internal static async Task<bool> ProbeAsync(int port, CancellationToken cancellationToken)
    {
        var connectionString = $"Host=127.0.0.1;Port={port.ToString(CultureInfo.InvariantCulture)};Username={SuperUser};Database=postgres;Pooling=false;Timeout=2";
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        return await command.ExecuteScalarAsync(cancellationToken) is 1;
    }


    /// <summary>Fast shutdown (SIGINT: disconnect clients, checkpoint, exit); killed if it hangs.</summary>
    public async ValueTask DisposeAsync()
    {
        await process.DisposeAsync();
    }

    private static async Task InitializeClusterAsync(
        string binDirectory, string clusterDirectory, string? runAs, bool durable, LogRing log, CancellationToken cancellationToken)
    {
        // Until checkpoints start recycling old WAL segments, PostgreSQL creates each new one when the last fills: it writes
        // the whole segment with zeros and syncs it while holding the WAL write lock, so every commit waits. With the
        // default 16 MB segments that stopped all writers for 60-100 ms every ~1.6 s under direct-send load (pg_stat_activity:
        // IO:WALInitWrite, IO:WALInitSync) and set the send p99 (70-100 ms, against 36-41 ms with 1 MB segments, measured).
        // Small segments spread the same zeroing into pauses of a few milliseconds.
        List<string> arguments = ["-D", clusterDirectory, "-U", SuperUser, "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--wal-segsize=1"];
        if (!durable)
        {
            arguments.Add("--no-sync");
        }

        await using var initdb = ChildProcess.Start(new ChildProcessSpec(Path.Combine(binDirectory, "initdb"), arguments) { RunAsUser = runAs }, log);
        var exitCode = await initdb.Exited.WaitAsync(cancellationToken);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"initdb exited with code {exitCode}. Last output:\n{log.TailText()}");
        }
    }

    private static ChildProcessSpec ServerSpec(string binDirectory, string clusterDirectory, int port, string? runAs, bool durable)
    {
        List<string> arguments =
        [
            "-D", clusterDirectory,
            "-p", port.ToString(CultureInfo.InvariantCulture),
            "-c", "listen_addresses=127.0.0.1",
            // TCP only: socket paths under a deep data folder would exceed the 107-byte limit.
            "-c", "unix_socket_directories=",
            "-c", "max_connections=200",
            // The first change to a page after a checkpoint writes the whole page to the WAL. Under send load the indexes
            // take writes all over, and with the default 1 GB between checkpoints (one every ~40 s) full pages were 60% of
            // the WAL; with 4 GB and 15 minutes the WAL per message fell from 8.5 KB to 3.3 KB (measured).
            "-c", "max_wal_size=4GB",
            "-c", "checkpoint_timeout=15min",
            // The indexes sends write into outgrow the default 128 MB, and backends then evict dirty pages themselves:
            // with 1 GB, direct sends to Messaging went from ~5,700 to ~6,250 a second, PostgreSQL from ~150 to ~125 µs
            // of CPU a message (measured). Pages are touched lazily: an idle suite doesn't hold it.
            "-c", "shared_buffers=1GB",
        ];
        if (!durable)
        {
            arguments.AddRange(["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]);
        }

        return new ChildProcessSpec(Path.Combine(binDirectory, "postgres"), arguments)
        {
            Environment = new Dictionary<string, string?> { ["GLIBC_TUNABLES"] = MallocTunables },
            RunAsUser = runAs,
            StopSignal = Posix.SigInt,
            StopTimeout = StopTimeout,
        };
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,63}$")]
    private static partial Regex DatabaseName();
}
