using Chat.AppHost.Hosting;
using Chat.AppHost.Servers;

namespace Chat.AppHost.Orchestration;

/// <summary>The running side of one resource of the model: its state, its processes, its log.</summary>
internal abstract class ResourceRuntime(IResource resource, ResourceNotificationService notifications) : IDisposable
{
    public IResource Resource { get; } = resource;

    public string Name => Resource.Name;

    public abstract ResourceSnapshot Snapshot();

    public abstract IReadOnlyList<LogLine> RecentLogs(int count);

    /// <summary>Releases what the runtime holds once it has been stopped.</summary>
    public abstract void Dispose();

    protected void NotifyChanged() => notifications.NotifyChanged();

    public static string KindOf(IResource resource) => resource switch
    {
        PostgresServerResource => "Postgres",
        PostgresDatabaseResource => "PostgresDatabase",
        RedisResource => "Redis",
        RabbitMQServerResource => "RabbitMQ",
        ProjectResource => "Project",
        ExecutableResource => "Executable",
        _ => resource.GetType().Name,
    };
}
