namespace Chat.AppHost.Hosting;

public enum ResourceState
{
    /// <summary>Waiting for what it WaitFor's to become healthy.</summary>
    Waiting,
    Starting,

    /// <summary>The process runs; its health probe has not passed yet.</summary>
    Running,
    Healthy,

    /// <summary>It runs but its probe fails after having passed.</summary>
    Unhealthy,
    Exited,
    Restarting,
    FailedToStart,
    Stopping,
    Stopped,
}

/// <summary>One process of a project or executable.</summary>
public sealed record ReplicaSnapshot(int Index, ResourceState State, int? ProcessId, Uri Url, string Health, int Restarts, int? LastExitCode);

/// <summary>What the status view and the dashboard show for one resource.</summary>
/// <param name="Url">A connection string for servers and databases, the endpoint for projects.</param>
/// <param name="Health">The last probe's outcome in words.</param>
public sealed record ResourceSnapshot(
    string Name,
    string Kind,
    ResourceState State,
    string? Url,
    string Health,
    int Restarts,
    IReadOnlyList<int> ProcessIds,
    IReadOnlyList<ReplicaSnapshot> Replicas,
    string? Error);
