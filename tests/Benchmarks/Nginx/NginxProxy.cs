using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Chat.Benchmarks.Nginx;

/// <summary>
/// A private nginx reverse proxy in front of one service: the yardstick the gateway is compared with.
/// One worker, keep-alive to the upstream, no buffering, no access log; everything it writes lives in
/// a temporary directory removed on dispose. Stopped by its PID (SIGTERM, then kill after a grace period).
/// </summary>
public sealed partial class NginxProxy : IAsyncDisposable
{
    public const string DefaultBinary = "/usr/sbin/nginx";

    private const int SigTerm = 15;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    private readonly Process process;
    private readonly DirectoryInfo directory;
    private readonly ConcurrentQueue<string> output = new();

    private NginxProxy(Process process, DirectoryInfo directory, Uri address)
    {
        this.process = process;
        this.directory = directory;
        Address = address;
        process.OutputDataReceived += (_, line) => Keep(line.Data);
        process.ErrorDataReceived += (_, line) => Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Where nginx listens, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri Address { get; }

    public int ProcessId => process.Id;

    public static async Task<NginxProxy> StartAsync(Uri upstream, string binary = DefaultBinary, CancellationToken cancellationToken = default)
    {
        var directory = Directory.CreateTempSubdirectory("chat-bench-nginx-");
        var port = FreeLoopbackPort();
        var config = Path.Combine(directory.FullName, "nginx.conf");
        Process process;
        try
        {
            await File.WriteAllTextAsync(config, Config(upstream, port, directory.FullName), cancellationToken);
            process = Start(binary, config, directory.FullName);
        }
        catch
        {
            directory.Delete(recursive: true);
            throw;
        }

        var proxy = new NginxProxy(process, directory, new Uri($"http://127.0.0.1:{port}/"));
        try
        {
            await proxy.WaitUntilAnsweringAsync(port, cancellationToken);
            return proxy;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var log = proxy.ErrorLog();
            await proxy.DisposeAsync();
            throw new InvalidOperationException($"nginx did not start on port {port} ({e.Message}) {log}", e);
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            _ = Kill(process.Id, SigTerm);
            using var grace = new CancellationTokenSource(StopGrace);
            try
            {
                await process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }

        process.Dispose();
        directory.Delete(recursive: true);
    }

    internal static string Config(Uri upstream, int port, string directory) => string.Create(CultureInfo.InvariantCulture, $$"""
        worker_processes 1;
        daemon off;
        master_process on;
        pid {{directory}}/nginx.pid;
        error_log {{directory}}/error.log warn;

        events {
            worker_connections 4096;
        }

        http {
            access_log off;
            client_body_temp_path {{directory}}/client_body;
            proxy_temp_path {{directory}}/proxy;
            fastcgi_temp_path {{directory}}/fastcgi;
            uwsgi_temp_path {{directory}}/uwsgi;
            scgi_temp_path {{directory}}/scgi;

            upstream service {
                server {{upstream.Authority}};
                keepalive 64;
                # nginx closes a keep-alive connection after 1000 requests by default; Kestrel and the gateway don't.
                keepalive_requests 1000000;
            }

            server {
                listen 127.0.0.1:{{port}};
                keepalive_requests 1000000;

                location / {
                    proxy_pass http://service;
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                    proxy_buffering off;
                }
            }
        }

        """);

    // Its output is captured, not inherited: our stdout is the report.
    private static Process Start(string binary, string config, string directory)
    {
        var start = new ProcessStartInfo(binary)
        {
            ArgumentList = { "-c", config, "-p", directory + "/", "-e", Path.Combine(directory, "error.log") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        return Process.Start(start) ?? throw new InvalidOperationException($"Could not start {binary}.");
    }

    private async Task WaitUntilAnsweringAsync(int port, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StartTimeout);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"nginx exited with code {process.ExitCode}.");
            }

            if (await AnswersHttpAsync(port, deadline.Token))
            {
                return;
            }

            await Task.Delay(50, deadline.Token);
        }
    }

    // Any HTTP response will do (the upstream may answer 401 or 404 to a bare GET /): nginx is serving.
    private static async Task<bool> AnswersHttpAsync(int port, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
            await socket.SendAsync("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"u8.ToArray(), cancellationToken);
            var buffer = new byte[16];
            var received = await socket.ReceiveAsync(buffer, cancellationToken);
            return buffer.AsSpan(0, received).StartsWith("HTTP/1."u8);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void Keep(string? line)
    {
        if (!string.IsNullOrWhiteSpace(line))
        {
            output.Enqueue(line);
        }
    }

    private string ErrorLog()
    {
        var path = Path.Combine(directory.FullName, "error.log");
        var log = File.Exists(path) ? File.ReadAllText(path, Encoding.UTF8).Trim() : "";
        return string.Join(Environment.NewLine, [.. output, log]).Trim();
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
