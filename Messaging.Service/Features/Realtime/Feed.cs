using System.Text.Json;
using System.Text.Json.Serialization;
using Chat.Messaging.Features.Messages;
using Npgsql;

namespace Chat.Messaging.Features.Realtime;

/// <summary>
/// One change for one user's feed: a message in their timeline (<see cref="Message"/> set) or a
/// status or conversation change whose JSON is <see cref="Data"/>.
/// </summary>
public sealed record FeedEntry(string UserId, string Event, string ConversWith, Chat21Message? Message, string? Data)
{
    public static FeedEntry ForMessage(string userId, string conversWith, Chat21Message message) =>
        new(userId, Feed.MessageEvent, conversWith, message, null);

    public static FeedEntry ForStatus(string userId, string conversWith, IReadOnlyList<Guid> messageIds, int status) =>
        new(userId, Feed.StatusEvent, conversWith, null,
            JsonSerializer.Serialize(new FeedStatus(conversWith, messageIds, status), Feed.JsonOptions));

    public static FeedEntry ForConversation(string userId, string conversWith, string action) =>
        new(userId, Feed.ConversationEvent, conversWith, null,
            JsonSerializer.Serialize(new FeedConversation(conversWith, action), Feed.JsonOptions));

    /// <summary>The SSE <c>data:</c> of this entry.</summary>
    public string Render() => Data ?? Feed.RenderMessage(ConversWith, Message!);
}

/// <summary>An event of a user's feed as the stream sends it: its number (the SSE id), name and JSON.</summary>
public sealed record FeedEvent(long Seq, string Event, string Data);

/// <summary>Entries appended in one transaction and the numbers they received, to publish once it commits.</summary>
public sealed record AppendedFeed(string AppId, IReadOnlyList<FeedEntry> Entries, IReadOnlyList<long> Seqs);

public sealed record FeedMessage(
    [property: JsonPropertyName("conversWith")] string ConversWith,
    [property: JsonPropertyName("message")] Chat21Message Message);

public sealed record FeedStatus(
    [property: JsonPropertyName("conversWith")] string ConversWith,
    [property: JsonPropertyName("message_ids")] IReadOnlyList<Guid> MessageIds,
    [property: JsonPropertyName("status")] int Status);

public sealed record FeedConversation(
    [property: JsonPropertyName("conversWith")] string ConversWith,
    [property: JsonPropertyName("action")] string Action)
{
    public const string Read = "read";
    public const string Archived = "archived";
    public const string Deleted = "deleted";
}

/// <summary>
/// The per-user feeds behind <c>GET /api/{app_id}/events</c>. Appends ride in the caller's transaction;
/// <see cref="Append"/> must be the transaction's first write to any conversation of those users, because
/// it locks their feed heads in one order, which is what keeps crossing writers from deadlocking.
/// </summary>
public static class Feed
{
    public const string MessageEvent = "message";
    public const string StatusEvent = "message_status";
    public const string ConversationEvent = "conversation";
    public const string ResetEvent = "reset";

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Locks the feed heads of the users of <c>$2</c> in user order, moves each on by its user's number of entries,
    /// and stores the entries, a user's in the order given.
    /// </summary>
    private const string AppendSql =
        """
        WITH entries AS (
            SELECT e.*, row_number() OVER (PARTITION BY e.user_id ORDER BY e.position) AS nth,
                   count(*) OVER (PARTITION BY e.user_id) AS total
            FROM unnest($2::text[], $3::text[], $4::text[], $5::uuid[], $6::text[]) WITH ORDINALITY
                AS e(user_id, event, convers_with, message_id, data, position)
        ),
        heads AS (
            INSERT INTO feed_heads AS h (app_id, user_id, seq)
            SELECT DISTINCT ON (user_id) $1, user_id, total FROM entries ORDER BY user_id
            ON CONFLICT (app_id, user_id) DO UPDATE SET seq = h.seq + EXCLUDED.seq
            RETURNING h.user_id, h.seq
        )
        INSERT INTO feed_events (app_id, user_id, seq, event, convers_with, message_id, data)
        SELECT $1, e.user_id, heads.seq - e.total + e.nth, e.event, e.convers_with, e.message_id, e.data
        FROM entries e JOIN heads USING (user_id)
        RETURNING user_id, seq
        """;

    /// <summary>The append of <paramref name="entries"/>, to run first in a batch given to <see cref="ExecuteAsync"/>.</summary>
    public static NpgsqlBatchCommand Append(string appId, IReadOnlyList<FeedEntry> entries) => new(AppendSql)
    {
        Parameters =
        {
            new() { Value = appId },
            new() { Value = entries.Select(e => e.UserId).ToArray() },
            new() { Value = entries.Select(e => e.Event).ToArray() },
            new() { Value = entries.Select(e => e.ConversWith).ToArray() },
            new() { Value = entries.Select(e => e.Message?.MessageId).ToArray() },
            new() { Value = entries.Select(e => e.Data).ToArray() },
        },
    };

    /// <summary>
    /// Runs <paramref name="batch"/>, whose first command is the <see cref="Append"/> of <paramref name="entries"/>, to its end
    /// (so an error in any later command surfaces here), and returns the numbers the entries received.
    /// </summary>
    public static async Task<AppendedFeed> ExecuteAsync(
        NpgsqlBatch batch, string appId, IReadOnlyList<FeedEntry> entries, CancellationToken cancellationToken)
    {
        // A user's entries took consecutive numbers in the order given: each user's next number starts at their lowest.
        var nextByUser = new Dictionary<string, long>(entries.Count, StringComparer.Ordinal);
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var (user, seq) = (reader.GetString(0), reader.GetInt64(1));
                nextByUser[user] = nextByUser.TryGetValue(user, out var lowest) ? Math.Min(lowest, seq) : seq;
            }

            while (await reader.NextResultAsync(cancellationToken))
            {
                // The commands after the append return no rows; reading past them raises their errors.
            }
        }

        var numbers = new long[entries.Count];
        for (var i = 0; i < entries.Count; i++)
        {
            numbers[i] = nextByUser[entries[i].UserId]++;
        }

        return new(appId, entries, numbers);
    }

    /// <summary>Appends <paramref name="entries"/> on their own, as the first statement of what follows in the transaction.</summary>
    public static async Task<AppendedFeed> AppendAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string appId, IReadOnlyList<FeedEntry> entries,
        CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction) { BatchCommands = { Append(appId, entries) } };
        return await ExecuteAsync(batch, appId, entries, cancellationToken);
    }

    /// <summary>
    /// Locks the feed heads of <paramref name="users"/> in user order (creating missing ones at 0), for a
    /// transaction that must hold them before touching their conversations but appends to them only later,
    /// or in several statements.
    /// </summary>
    public static async Task LockAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string appId, IEnumerable<string> users,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO feed_heads AS h (app_id, user_id, seq)
            SELECT $1, u, 0 FROM unnest($2::text[]) AS u ORDER BY u
            ON CONFLICT (app_id, user_id) DO UPDATE SET seq = h.seq
            """, connection, transaction)
        {
            Parameters = { new() { Value = appId }, new() { Value = users.Distinct(StringComparer.Ordinal).ToArray() } },
        };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The newest number of a user's feed; 0 before their first event.</summary>
    public static async Task<long> HeadAsync(NpgsqlDataSource dataSource, string appId, string userId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT seq FROM feed_heads WHERE app_id = $1 AND user_id = $2");
        command.Parameters.Add(new() { Value = appId });
        command.Parameters.Add(new() { Value = userId });
        return await command.ExecuteScalarAsync(cancellationToken) is long seq ? seq : 0;
    }

    /// <summary>Up to <paramref name="limit"/> events after <paramref name="after"/>, oldest first, rendered as live ones are.</summary>
    public static async Task<List<FeedEvent>> ReadAfterAsync(
        NpgsqlDataSource dataSource, string appId, string userId, long after, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT e.seq, e.event, e.convers_with, e.data, {Chat21Message.MessageColumns}
            FROM feed_events e LEFT JOIN messages m ON m.message_id = e.message_id
            WHERE e.app_id = $1 AND e.user_id = $2 AND e.seq > $3
            ORDER BY e.seq
            LIMIT $4
            """);
        command.Parameters.Add(new() { Value = appId });
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = after });
        command.Parameters.Add(new() { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var events = new List<FeedEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var data = reader.IsDBNull(3)
                ? RenderMessage(reader.GetString(2), Chat21Message.Read(reader, offset: 4, MessageStatus.Sent))
                : reader.GetString(3);
            events.Add(new(reader.GetInt64(0), reader.GetString(1), data));
        }

        return events;
    }

    public static string RenderMessage(string conversWith, Chat21Message message) =>
        JsonSerializer.Serialize(new FeedMessage(conversWith, message), JsonOptions);
}
