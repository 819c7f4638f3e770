using System.Runtime.InteropServices;
using Chat.AppHost.Servers;

namespace Chat.AppHost.Modes;

/// <summary>
/// <c>AppHost --launch-only postgres,redis,rabbitmq [--data DIR]</c>: starts just those servers
/// (non-durable, free ports), prints one line per server with its process ids and port, then
/// <c>ready</c>, and holds them until SIGINT/SIGTERM. Handy for poking at a server by hand, and the
/// owner process the watchdog tests kill with SIGKILL.
/// </summary>
internal static class LaunchOnlyMode
{
    public static async Task<int> RunAsync(string[] args)
    {
        var kinds = args.Length > 0 ? args[0].Split(',', StringSplitOptions.RemoveEmptyEntries) : [];
        var dataIndex = Array.IndexOf(args, "--data");
        var data = dataIndex >= 0 && dataIndex + 1 < args.Length
            ? args[dataIndex + 1]
            : Directory.CreateTempSubdirectory("chat-launch-").FullName;
        if (kinds.Length == 0 || kinds.Any(kind => kind is not ("postgres" or "redis" or "rabbitmq")))
        {
            await Console.Error.WriteLineAsync("usage: AppHost --launch-only postgres,redis,rabbitmq [--data DIR]");
            return 2;
        }

        using var stop = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);

        var servers = new List<IAsyncDisposable>();
        try
        {
            foreach (var kind in kinds)
            {
                var directory = Path.Combine(data, kind);
                servers.Add(kind switch
                {
                    "postgres" => Report(kind, await PostgresServer.StartAsync(new(directory, Durable: false), stop.Token), server => $"pid={server.ProcessId} port={server.Port}"),
                    "redis" => Report(kind, await RedisServer.StartAsync(new(directory, Durable: false), stop.Token), server => $"pid={server.ProcessId} port={server.Port}"),
                    _ => Report(kind, await RabbitMqServer.StartAsync(new(directory), stop.Token), server => $"pid={server.ProcessId} port={server.Port} epmd-pid={server.EpmdProcessId} epmd-port={server.EpmdPort}"),
                });
            }

            Console.WriteLine("ready");
            await Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            return 0;
        }
        finally
        {
            servers.Reverse();
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }

        void Cancel(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }

    private static T Report<T>(string kind, T server, Func<T, string> describe)
    {
        Console.WriteLine($"{kind} {describe(server)}");
        return server;
    }
}
