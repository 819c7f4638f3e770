using Chat.AppHost.Hosting;
using Chat.AppHost.Servers;

namespace Chat.AppHost.Orchestration;

/// <summary>A database on a PostgreSQL server: healthy once created and while its server is.</summary>
internal sealed class DatabaseRuntime(PostgresDatabaseResource resource, ServerRuntime server, ResourceNotificationService notifications)
    : ResourceRuntime(resource, notifications)
{
    private ResourceState state = ResourceState.Waiting;
    private string? error;

    private PostgresServer? Postgres => server.Server as PostgresServer;

    public async Task CreateAsync(CancellationToken cancellationToken)
    {
        state = ResourceState.Starting;
        NotifyChanged();
        try
        {
            await Postgres!.CreateDatabaseAsync(resource.DatabaseName, cancellationToken);
        }
        catch (Exception e)
        {
            error = e.Message;
            state = ResourceState.FailedToStart;
            NotifyChanged();
            throw;
        }

        state = ResourceState.Healthy;
        NotifyChanged();
    }

    public string ConnectionString => Postgres?.ConnectionString(resource.DatabaseName)
        ?? throw new InvalidOperationException($"The server of '{Name}' has not started.");

    public override ResourceSnapshot Snapshot()
    {
        // Once created, the database is as well as its server.
        var effective = server.State == ResourceState.FailedToStart ? ResourceState.FailedToStart
            : state == ResourceState.Healthy ? server.State
            : state;
        return new ResourceSnapshot(
            Name,
            KindOf(Resource),
            effective,
            Postgres?.ConnectionString(resource.DatabaseName),
            state == ResourceState.Healthy ? "created" : string.Empty,
            0,
            [],
            [],
            error ?? (server.State == ResourceState.FailedToStart ? server.Snapshot().Error : null));
    }

    /// <summary>Nothing of its own: the server runtime holds the process.</summary>
    public override void Dispose()
    {
    }

    /// <summary>None of its own: what happens to a database shows in its server's log.</summary>
    public override IReadOnlyList<LogLine> RecentLogs(int count) => [];
}
