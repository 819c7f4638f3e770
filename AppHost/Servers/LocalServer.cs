using Microsoft.Extensions.Configuration;
using System.Net;
using System.Net.Sockets;

namespace Chat.AppHost.Servers;

/// <summary>
/// What the three servers share: containers can't run on the machines this AppHost targets, so PostgreSQL, Redis and
/// RabbitMQ run from the Debian binaries as executables, on loopback, with their data in the AppHost's data folder.
/// Their endpoints are not proxied: every query would otherwise cross DCP's proxy, a hop on the hot path of each send.
/// Only a run touches this machine (folders, free ports, installed binaries): a published model describes a cluster.
/// </summary>
internal static class LocalServer
{
    /// <summary>Configuration key of the data folder; <c>.data</c> at the repository's root unless set.</summary>
    public const string DataDirectoryKey = "Data:Directory";

    /// <summary>Configuration key that turns off fsync and friends, for throwaway test instances only.</summary>
    public const string DurableKey = "Data:Durable";

    public static string DataDirectory(IDistributedApplicationBuilder builder) =>
        Path.GetFullPath(builder.Configuration[DataDirectoryKey] ?? Path.Combine(builder.AppHostDirectory, "..", ".data"));

    public static bool Durable(IDistributedApplicationBuilder builder) =>
        !bool.TryParse(builder.Configuration[DurableKey], out var durable) || durable;

    /// <summary>The folder of one server, created when the AppHost runs.</summary>
    public static string FolderOf(IDistributedApplicationBuilder builder, string name)
    {
        var folder = Path.Combine(DataDirectory(builder), name);
        if (builder.ExecutionContext.IsRunMode)
        {
            Directory.CreateDirectory(folder);
        }

        return folder;
    }

    /// <summary>A loopback port nobody listens on now; the configured one when given; none (0) when publishing.</summary>
    public static int Port(IDistributedApplicationBuilder builder, string name)
    {
        if (builder.Configuration.GetValue<int?>($"Servers:{name}:Port") is { } configured and > 0)
        {
            return configured;
        }

        if (!builder.ExecutionContext.IsRunMode)
        {
            return 0;
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Whether the AppHost runs as root, when servers that refuse root (PostgreSQL) run as their own user.</summary>
    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>
    /// The first of <paramref name="candidates"/> that exists, or a message naming the Debian package; the first unchecked
    /// when publishing.
    /// </summary>
    public static string Binary(IDistributedApplicationBuilder builder, string package, params string[] candidates) =>
        !builder.ExecutionContext.IsRunMode ? candidates[0]
        : candidates.FirstOrDefault(File.Exists)
        ?? throw new DistributedApplicationException(
            $"{candidates[0]} not found: install the Debian package '{package}' (./run.sh installs what is missing).");
}
