namespace Chat.TestInfrastructure.Servers;

/// <summary>Where the Debian packages put the server programs.</summary>
internal static class ServerBinaries
{
    /// <summary>The newest installed PostgreSQL's bin directory (/usr/lib/postgresql/&lt;major&gt;/bin).</summary>
    public static string PostgresBinDirectory()
    {
        const string root = "/usr/lib/postgresql";
        var newest = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(directory => (directory, major: int.TryParse(Path.GetFileName(directory), out var major) ? major : -1))
                .Where(candidate => candidate.major > 0 && File.Exists(Path.Combine(candidate.directory, "bin", "postgres")))
                .OrderByDescending(candidate => candidate.major)
                .Select(candidate => Path.Combine(candidate.directory, "bin"))
                .FirstOrDefault()
            : null;
        return newest ?? throw Missing("PostgreSQL", "postgresql");
    }

    /// <summary>The real rabbitmq-server script (the /usr/sbin one re-runs itself through su rabbitmq).</summary>
    public static string RabbitMqServerScript()
    {
        const string root = "/usr/lib/rabbitmq/lib";
        var script = Directory.Exists(root)
            ? Directory.GetDirectories(root, "rabbitmq_server-*")
                .Select(directory => (
                    script: Path.Combine(directory, "sbin", "rabbitmq-server"),
                    version: Version.TryParse(Path.GetFileName(directory)["rabbitmq_server-".Length..], out var version) ? version : new Version()))
                .Where(candidate => File.Exists(candidate.script))
                .OrderByDescending(candidate => candidate.version)
                .Select(candidate => candidate.script)
                .FirstOrDefault()
            : null;
        return script ?? throw Missing("RabbitMQ", "rabbitmq-server");
    }

    public static string RedisServer() => OnPath("redis-server") ?? throw Missing("Redis", "redis-server");

    public static string Epmd() => OnPath("epmd") ?? throw Missing("Erlang's epmd", "rabbitmq-server");

    private static string? OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/sbin")
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);

    private static FileNotFoundException Missing(string server, string package) =>
        new($"{server} is not installed. Install it with: apt-get install -y {package}");
}
