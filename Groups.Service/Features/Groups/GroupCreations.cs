using System.Diagnostics;
using Chat.Contracts;
using Chat.ServiceDefaults.Batching;
using Chat.ServiceDefaults.Messaging;
using Npgsql;

namespace Chat.Groups.Features.Groups;

/// <summary>
/// A group to create, as its <see cref="GroupCreated"/> event describes it, with what its row adds, and the trace of the
/// request that asked for it.
/// </summary>
public sealed record GroupCreation(GroupCreated Event, string? AttributesJson, long Now)
{
    public ActivityContext Trace { get; } = Activity.Current?.Context ?? default;
}

/// <summary>
/// Creates groups. Creations that arrive while earlier ones are being written are stored together: one implicit transaction
/// with each group's rows and every event, and one commit for all of them, where each group was a transaction and a commit
/// of its own. A creation is answered only once its transaction has committed; one the database refuses (a group id taken)
/// fails alone (<see cref="SharedTransactions{TItem}"/>) and throws its <see cref="PostgresException"/>.
/// </summary>
public sealed class GroupCreations : IAsyncDisposable
{
    /// <summary>Transactions open at once, and the most groups one of them creates.</summary>
    private static readonly CoalescerOptions Batching = new() { Name = "groups.creations", Concurrency = 4, MaxBatch = 64 };

    private readonly NpgsqlDataSource dataSource;
    private readonly Outbox outbox;
    private readonly SharedTransactions<GroupCreation> transactions;

    public GroupCreations(NpgsqlDataSource dataSource, Outbox outbox)
    {
        this.dataSource = dataSource;
        this.outbox = outbox;
        transactions = new(creations => [[.. Enumerable.Range(0, creations.Count)]], CommitAsync, Batching);
    }

    /// <summary>Completes once the group is stored and its event is on its way.</summary>
    public Task CreateAsync(GroupCreation creation) => transactions.CommitAsync(creation);

    public ValueTask DisposeAsync() => transactions.DisposeAsync();

    private async Task CommitAsync(IReadOnlyList<GroupCreation> creations, IReadOnlyList<int> transaction)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var events = new OutboxEvents();
        await using var batch = new NpgsqlBatch(connection);
        foreach (var (group, attributesJson, now) in transaction.Select(index => creations[index]))
        {
            batch.BatchCommands.Add(GroupWrites.InsertGroup(group.AppId, group.GroupId, group.Name, group.Owner, attributesJson, now));
            batch.BatchCommands.Add(GroupWrites.AddMembers(group.AppId, group.GroupId, group.Members, now));
        }

        batch.BatchCommands.Add(events.Add(transaction.Select(index => ((IntegrationEvent)creations[index].Event, creations[index].Trace))));
        await batch.ExecuteNonQueryAsync();
        outbox.Send(events);
    }
}
