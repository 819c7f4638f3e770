using System.Diagnostics;

namespace Chat.AppHost.Tests.Servers;

public sealed class WatchdogTests
{
    [Fact]
    public async Task Every_server_process_ends_within_seconds_of_its_owner_being_killed()
    {
        using var directory = new TempDirectory();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "AppHost.dll"), "--launch-only", "postgres,redis,rabbitmq", "--data", directory.Path })
        {
            info.ArgumentList.Add(argument);
        }

        using var owner = Process.Start(info)!;
        try
        {
            await ReadUntilReadyAsync(owner);
            var orphans = ProcessTable.Descendants(owner.Id);
            Assert.True(orphans.Count >= 8, $"expected servers, epmd and watchdogs under the owner, found {orphans.Count}");

            owner.Kill();
            await owner.WaitForExitAsync();

            var survivors = await ProcessTable.WaitUntilGoneAsync(orphans, TimeSpan.FromSeconds(5));
            Assert.True(survivors.Count == 0, "still alive: " + string.Join("; ", survivors.Select(ProcessTable.Describe)));
        }
        finally
        {
            owner.Kill(entireProcessTree: true);
        }
    }

    private static async Task ReadUntilReadyAsync(Process owner)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var seen = new List<string>();
        while (await owner.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            seen.Add(line);
            if (line == "ready")
            {
                return;
            }
        }

        Assert.Fail($"owner ended before ready: {string.Join('\n', seen)}\n{await owner.StandardError.ReadToEndAsync()}");
    }
}
