namespace Chat.AppHost.Servers;

/// <summary>What the orchestrator needs from any of the three launchers to show and stop it.</summary>
internal interface IManagedServer : IAsyncDisposable
{
    int Port { get; }

    int? ProcessId { get; }

    LogRing Logs { get; }

    bool IsRunning { get; }
}
