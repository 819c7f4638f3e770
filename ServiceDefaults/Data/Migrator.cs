using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Chat.ServiceDefaults.Data;

/// <summary>
/// Applies numbered <c>.sql</c> files embedded under a <c>Data/Migrations</c> folder, each once, in
/// order, inside its own transaction, under a Postgres advisory lock so replicas starting together
/// never race. Applied files are recorded in <c>schema_migrations</c>.
/// </summary>
public sealed partial class Migrator(NpgsqlDataSource dataSource, ILogger<Migrator> logger)
{
    // Any stable 64-bit number; every replica of every service locks the same key per database.
    private const long AdvisoryLockKey = 0x43_68_61_74_4D_69_67;

    public async Task<IReadOnlyList<string>> MigrateAsync(IEnumerable<Assembly> assemblies, CancellationToken cancellationToken)
    {
        var migrations = assemblies.SelectMany(Discover).OrderBy(m => m.Id, StringComparer.Ordinal).ToList();
        var duplicate = migrations.GroupBy(m => m.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Migration id {duplicate.Key} is defined twice.");
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection))
        {
            lockCommand.Parameters.AddWithValue("key", AdvisoryLockKey);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            await using (var create = new NpgsqlCommand(
                "CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
                connection))
            {
                await create.ExecuteNonQueryAsync(cancellationToken);
            }

            var applied = new HashSet<string>(StringComparer.Ordinal);
            await using (var read = new NpgsqlCommand("SELECT id FROM schema_migrations", connection))
            await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    applied.Add(reader.GetString(0));
                }
            }

            var newlyApplied = new List<string>();
            foreach (var migration in migrations.Where(m => !applied.Contains(m.Id)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await using (var apply = new NpgsqlCommand(migration.Sql, connection, transaction))
                {
                    await apply.ExecuteNonQueryAsync(cancellationToken);
                }

                await using (var record = new NpgsqlCommand("INSERT INTO schema_migrations (id) VALUES (@id)", connection, transaction))
                {
                    record.Parameters.AddWithValue("id", migration.Id);
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
                logger.LogInformation("Applied migration {MigrationId}", migration.Id);
                newlyApplied.Add(migration.Id);
            }

            return newlyApplied;
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
            unlock.Parameters.AddWithValue("key", AdvisoryLockKey);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>Embedded resources named like <c>...Data.Migrations.0001_name.sql</c>; the id is <c>0001_name</c>.</summary>
    internal static IEnumerable<Migration> Discover(Assembly assembly)
    {
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = MigrationName().Match(resource);
            if (!match.Success)
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            yield return new Migration(match.Groups["id"].Value, reader.ReadToEnd());
        }
    }

    [GeneratedRegex(@"\.Data\.Migrations\.(?<id>\d{4}_[A-Za-z0-9_]+)\.sql$")]
    private static partial Regex MigrationName();

    internal sealed record Migration(string Id, string Sql);
}
