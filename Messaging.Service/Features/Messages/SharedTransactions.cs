using System.Runtime.ExceptionServices;
using Npgsql;

namespace Chat.Messaging.Features.Messages;

/// <summary>
/// Commits batched work in shared transactions and answers each item with its own outcome. A transaction of several
/// items that the database refuses is retried item by item, so one bad item fails alone; any other failure (the
/// database unreachable) is every item's.
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
                outcomes[index] = failure is { SourceException: PostgresException } && transaction.Count > 1
                    ? await TryCommitAsync(commit, [index])
                    : failure;
            }
        }

        return outcomes;
    }

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
