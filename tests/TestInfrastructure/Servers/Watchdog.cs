using System.Diagnostics;
using System.Globalization;

namespace Chat.TestInfrastructure.Servers;

/// <summary>
/// A tiny shell process, in its own session, that ends a child's process group when the owning
/// .NET process dies, even by SIGKILL. Its stdin is a pipe whose only writer is the owner, so the
/// owner's death (the kernel closing that pipe) is what wakes it; nothing is polled and nothing
/// depends on PR_SET_PDEATHSIG, which fires when the forking thread exits rather than the process.
/// </summary>
internal static class Watchdog
{
    // $1 child pid (also its process group), $2 stop signal name, $3 grace in tenths of a second.
    private const string Script = """
        trap '' INT HUP TERM
        exec >/dev/null 2>&1
        while read -r _; do :; done
        kill -$2 $1
        i=0
        while [ $i -lt $3 ] && kill -0 $1; do sleep 0.1; i=$((i+1)); done
        kill -KILL -$1
        """;

    public static Process Start(int childProcessId, int stopSignal, TimeSpan grace)
    {
        var info = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
        };
        foreach (var argument in new[]
        {
            "/bin/sh", "-c", Script, "chat-watchdog",
            childProcessId.ToString(CultureInfo.InvariantCulture),
            Posix.SignalName(stopSignal),
            ((int)Math.Ceiling(grace.TotalSeconds * 10)).ToString(CultureInfo.InvariantCulture),
        })
        {
            info.ArgumentList.Add(argument);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("Could not start the watchdog shell.");
    }
}
