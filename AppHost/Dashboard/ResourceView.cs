using Chat.AppHost.Hosting;
using Chat.AppHost.Orchestration;

namespace Chat.AppHost.Dashboard;

/// <summary>One resource as the dashboard and <c>GET /api/resources</c> show it.</summary>
internal sealed record ResourceView(
    string Name,
    string Kind,
    ResourceState State,
    string? Url,
    string Health,
    int Restarts,
    IReadOnlyList<int> ProcessIds,
    IReadOnlyList<ReplicaSnapshot> Replicas,
    string? Error,
    IReadOnlyList<string> Logs)
{
    public const int LogLines = 50;

    public static IReadOnlyList<ResourceView> All(Orchestrator orchestrator, int logLines = LogLines) =>
        orchestrator.Notifications.GetSnapshots()
            .Select(snapshot => new ResourceView(
                snapshot.Name,
                snapshot.Kind,
                snapshot.State,
                snapshot.Url,
                snapshot.Health,
                snapshot.Restarts,
                snapshot.ProcessIds,
                snapshot.Replicas,
                snapshot.Error,
                orchestrator.Runtime(snapshot.Name).RecentLogs(logLines).Select(line => $"{line.Timestamp:HH:mm:ss} {line.Text}").ToArray()))
            .ToArray();
}
