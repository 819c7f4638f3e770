using System.Runtime.ExceptionServices;
using Npgsql;

namespace Chat.ServiceDefaults.Batching;

/// <summary>
/// Commits items that arrive together in shared transactions (a <see cref="Coalescer{TItem, TResult}"/> gathers them) and
/// answers each caller with its own item's outcome. A transaction of several items that fails in a way one item may have
/// caused (the database refusing a statement, an item's own code throwing) is retried item by item, so one bad item fails
/// alone; a failure that is every item's alike (the database unreachable, the work canceled) is not retried.
/// </summary>
public sealed class SharedTransactions<TItem> : IAsyncDisposable
{
    private readonly Func<IReadOnlyList<TItem>, IEnumerable<IReadOnlyList<int>>> split;
    private readonly Func<IReadOnlyList<TItem>, IReadOnlyList<int>, Task> commit;
    private readonly Coalescer<TItem, ExceptionDispatchInfo?> coalescer;

    /// <param name="split">The transactions a batch is committed in: the items (by position) each takes, in commit order.</param>
    /// <param name="commit">Commits the given items of a batch in one transaction.</param>
    public SharedTransactions(
        Func<IReadOnlyList<TItem>, IEnumerable<IReadOnlyList<int>>> split,
        Func<IReadOnlyList<TItem>, IReadOnlyList<int>, Task> commit,
        CoalescerOptions options)
    {
        this.split = split;
        this.commit = commit;
        coalescer = new(CommitBatchAsync, options);
    }

    /// <summary>Completes once <paramref name="item"/>'s transaction has committed; throws its failure otherwise.</summary>
    public async Task CommitAsync(TItem item) => (await coalescer.SubmitAsync(item))?.Throw();

    public ValueTask DisposeAsync() => coalescer.DisposeAsync();

    private async Task<IReadOnlyList<ExceptionDispatchInfo?>> CommitBatchAsync(IReadOnlyList<TItem> batch)
    {
        var outcomes = new ExceptionDispatchInfo?[batch.Count];
        foreach (var transaction in split(batch))
        {
            var failure = await TryCommitAsync(batch, transaction);
            foreach (var index in transaction)
            {
                outcomes[index] = failure is not null && transaction.Count > 1 && MayBeOneItems(failure.SourceException)
                    ? await TryCommitAsync(batch, [index])
                    : failure;
            }
        }

        return outcomes;
    }

    private static bool MayBeOneItems(Exception failure) =>
        failure is PostgresException || failure is not (NpgsqlException or OperationCanceledException or ObjectDisposedException);

    private async Task<ExceptionDispatchInfo?> TryCommitAsync(IReadOnlyList<TItem> batch, IReadOnlyList<int> items)
    {
        try
        {
            await commit(batch, items);
            return null;
        }
        catch (Exception exception)
        {
            return ExceptionDispatchInfo.Capture(exception);
        }
    }
}
