using Chat.AppHost.Orchestration;
using Chat.AppHost.Servers;

namespace Chat.AppHost.Dashboard;

/// <summary>
/// The console side of the status view: the resource table whenever a state changes (gathered over
/// a second, so a burst of changes prints once), and, when asked, each project's output prefixed
/// with its name.
/// </summary>
internal sealed class ConsoleStatusView : IDisposable
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    private readonly Orchestrator orchestrator;
    private readonly bool echo;
    private readonly Timer timer;
    private readonly Lock gate = new();
    private string lastTable = string.Empty;
    private bool scheduled;

    public ConsoleStatusView(Orchestrator orchestrator, bool echo)
    {
        this.orchestrator = orchestrator;
        this.echo = echo;
        timer = new Timer(_ => Print());
        orchestrator.Notifications.Changed += Schedule;
        if (echo)
        {
            orchestrator.ProcessOutput += Echo;
        }
    }

    public void Dispose()
    {
        orchestrator.Notifications.Changed -= Schedule;
        if (echo)
        {
            orchestrator.ProcessOutput -= Echo;
        }

        timer.Dispose();
        Print();
    }

    private void Schedule()
    {
        lock (gate)
        {
            if (!scheduled)
            {
                scheduled = true;
                timer.Change(Settle, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void Print()
    {
        var table = StatusTable.Render(orchestrator.Notifications.GetSnapshots());
        lock (gate)
        {
            scheduled = false;
            if (table == lastTable)
            {
                return;
            }

            lastTable = table;
            Console.Out.Write($"── resources {DateTime.Now:HH:mm:ss} ──\n{table}");
        }
    }

    private void Echo(string resource, int replica, LogLine line)
    {
        var prefix = replica == 0 ? resource : $"{resource}-{replica}";
        lock (gate)
        {
            Console.Out.WriteLine($"[{prefix}] {line.Text}");
        }
    }
}
