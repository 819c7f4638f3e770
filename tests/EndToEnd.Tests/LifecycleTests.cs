using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Chat.TestInfrastructure.Servers;

namespace Chat.EndToEnd.Tests;

/// <summary>
/// <c>./run.sh</c> as a developer runs it: the platform comes up, a server killed with SIGKILL comes back by itself, and
/// SIGTERM to the script's process (or Ctrl+C's SIGINT to its process group) stops everything it started: DCP, the
/// dashboard, every service, PostgreSQL, Redis, RabbitMQ and epmd.
/// </summary>
[Collection(SuiteCollection.Name)]
public sealed class LifecycleTests
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_killed_server_comes_back_and_SIGTERM_to_run_sh_leaves_nothing_running()
    {
        await using var platform = await RunScript.StartAsync();
        var redis = platform.ProcessesWith("redis-server").Single();
        Process.GetProcessById(redis).Kill();
        var back = await Eventually(() => platform.ProcessesWith("redis-server") is [var pid] && pid != redis, TimeSpan.FromSeconds(60));
        Assert.True(back, "Redis was not started again after SIGKILL");
        await platform.WaitUntilGatewayHealthyAsync();

        var started = platform.Tree();
        Assert.Contains(started, pid => ProcessTable.CommandLine(pid).Contains("beam.smp", StringComparison.Ordinal));
        Assert.Contains(started, pid => ProcessTable.CommandLine(pid).Contains("postgres -D", StringComparison.Ordinal));
        await platform.StopAsync(Posix.SigTerm, processGroup: false);
        Assert.Empty(await ProcessTable.StillRunningAsync(started, TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Ctrl_C_stops_everything()
    {
        await using var platform = await RunScript.StartAsync();
        var started = platform.Tree();
        await platform.StopAsync(Posix.SigInt, processGroup: true);
        Assert.Empty(await ProcessTable.StillRunningAsync(started, TimeSpan.FromSeconds(30)));
    }

    private static async Task<bool> Eventually(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(200);
        }

        return true;
    }

    /// <summary>The repository's <c>run.sh</c> in a session of its own, on free ports, with a throw-away data folder.</summary>
    private sealed class RunScript : IAsyncDisposable
    {
        private readonly Process process;
        private readonly string data;
        private readonly Uri gateway;

        private RunScript(Process process, string data, Uri gateway)
        {
            this.process = process;
            this.data = data;
            this.gateway = gateway;
        }

        public static async Task<RunScript> StartAsync()
        {
            // Not CreateTempSubdirectory: its 0700 folder would keep PostgreSQL, which runs as its own user, out.
            var data = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "chat-run", Guid.NewGuid().ToString("N")[..12])).FullName;
            var gateway = new Uri($"http://127.0.0.1:{FreePort()}");
            // As from a terminal: SIGINT at its default even when this test run was started in the background, which ignores it.
            var info = new ProcessStartInfo("env", ["--default-signal=INT", "setsid", Path.Combine(Repository, "run.sh"), $"--Data:Directory={data}", "--Data:Durable=false", $"--Gateway:Port={gateway.Port}"])
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = Repository,
            };
            info.Environment["CONFIGURATION"] = "Debug";
            info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePort()}";
            info.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{FreePort()}";
            var process = Process.Start(info) ?? throw new InvalidOperationException("run.sh did not start");
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var script = new RunScript(process, data, gateway);
            try
            {
                await script.WaitUntilGatewayHealthyAsync();
                return script;
            }
            catch
            {
                await script.DisposeAsync();
                throw;
            }
        }

        /// <summary>The AppHost (run.sh execs it), the DCP that monitors it, and everything DCP started.</summary>
        public IReadOnlyList<int> Tree()
        {
            var roots = ProcessTable.All()
                .Where(pid => ProcessTable.CommandLine(pid).Contains($"--monitor {process.Id.ToString(CultureInfo.InvariantCulture)}", StringComparison.Ordinal))
                .Append(process.Id);
            return [.. roots.SelectMany(ProcessTable.WithDescendants).Distinct()];
        }

        /// <summary>Processes of this platform whose command line names <paramref name="program"/>.</summary>
        public IReadOnlyList<int> ProcessesWith(string program) =>
            [.. Tree().Where(pid => ProcessTable.CommandLine(pid).Contains(program, StringComparison.Ordinal))];

        /// <summary>Until the gateway answers Healthy; fails at once if run.sh exits first, or after the suite's start timeout.</summary>
        public async Task WaitUntilGatewayHealthyAsync()
        {
            using var timeout = new CancellationTokenSource(SuiteFixture.StartTimeout);
            var healthy = SuiteFixture.WaitUntilFullyHealthyAsync(gateway, timeout.Token);
            var exited = process.WaitForExitAsync(timeout.Token);
            await Task.WhenAny(healthy, exited);
            await timeout.CancelAsync();
            Assert.False(process.HasExited, $"run.sh exited with {(process.HasExited ? process.ExitCode : 0)} before the gateway answered");
            Assert.True(healthy.IsCompletedSuccessfully, "the gateway did not become healthy in time");
        }

        public async Task StopAsync(int signal, bool processGroup)
        {
            Posix.Signal(processGroup ? -process.Id : process.Id, signal);
            using var timeout = new CancellationTokenSource(StopTimeout);
            await process.WaitForExitAsync(timeout.Token);
        }

        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited)
            {
                Posix.Signal(process.Id, Posix.SigTerm);
                using var timeout = new CancellationTokenSource(StopTimeout);
                await process.WaitForExitAsync(timeout.Token);
            }

            process.Dispose();
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Files of the postgres user still being released: the OS cleans the temp folder.
            }
        }

        private static string Repository => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
