using System.Runtime.ExceptionServices;
using Npgsql;

namespace Chat.Messaging.Features.Messages;

/// <summary>
/// Commits batched work in shared transactions and answers each item with its own outcome. A transaction of several
/// items that fails in a way one item may have caused (the database refusing a statement, an item's own code throwing)
/// is retried item by item, so one bad item fails alone; a failure that is every item's alike (the database
/// unreachable, the work canceled) is not retried.
/// </summary>
internal static class SharedTransactions
{
    /// <param name="count">How many items the batch holds.</param>
    /// <param name="transactions">The items (by position) each transaction takes, in commit order.</param>
    /// <param name="commit">Commits the given items in one transaction.</param>
    /// <returns>Per item, null once committed, or its failure.</returns>
    public static async Task<IReadOnlyList<ExceptionDispatchInfo?>> CommitAsync(
        int count, IEnumerable<IReadOnlyList<int>> transactions, Func<IReadOnlyList<int>, Task> commit)
    {
        var outcomes = new ExceptionDispatchInfo?[count];
        foreach (var transaction in transactions)
        {
            var failure = await TryCommitAsync(commit, transaction);
            foreach (var index in transaction)
            {
                outcomes[index] = failure is not null && transaction.Count > 1 && MayBeOneItems(failure.SourceException)
                    ? await TryCommitAsync(commit, [index])
                    : failure;
            }
        }

        return outcomes;
    }

    private static bool MayBeOneItems(Exception failure) =>
        failure is PostgresException || failure is not (NpgsqlException or OperationCanceledException or ObjectDisposedException);

    private static async Task<ExceptionDispatchInfo?> TryCommitAsync(Func<IReadOnlyList<int>, Task> commit, IReadOnlyList<int> items)
    {
        try
        {
            await commit(items);
            return null;
        }
        catch (Exception exception)
        {
            return ExceptionDispatchInfo.Capture(exception);
        }
    }
}
