using Npgsql;

namespace IntegrationHub.Drills;

/// <summary>One call of the outbox as the drill reads it (raw SQL: the drill looks at the database from outside).</summary>
public sealed record CallRow(long Id, Guid TenantId, string Status, DateTimeOffset? CompletedAt, Guid? EventId, string? MessageId,
    string? LastReason, string? LastError);

/// <summary>
/// A fresh PostgreSQL database for one drill run, created on the server of <c>serverConnectionString</c> and dropped
/// at the end (unless kept for a post-mortem). The hub nodes share it; the drill reads it with plain SQL.
/// </summary>
public sealed class DrillDatabase : IAsyncDisposable
{
    private readonly string _server;
    private readonly bool _keep;

    private DrillDatabase(string server, string name, bool keep)
    {
        _server = server;
        _keep = keep;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = true }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static async Task<DrillDatabase> CreateAsync(string serverConnectionString, string drill, bool keep = false)
    {
        var name = $"integrationhub_drill_{drill}_{Guid.NewGuid():N}"[..40];
        await ExecuteOnServerAsync(serverConnectionString, $"CREATE DATABASE \"{name}\"");
        return new DrillDatabase(serverConnectionString, name, keep);
    }

    public async Task<List<CallRow>> CallsAsync()
    {
        const string sql = """
            SELECT c."Id", c."TenantId", c."Status", c."CompletedAt", c."EventId", e."MessageId", c."LastReason", c."LastError"
            FROM crisp_calls c LEFT JOIN product_events e ON e."Id" = c."EventId" ORDER BY c."Id"
            """;
        var rows = new List<CallRow>();
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new CallRow(reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3), reader.IsDBNull(4) ? null : reader.GetGuid(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7)));
        }

        return rows;
    }

    /// <summary>The message ids of every stored product event.</summary>
    public async Task<HashSet<string>> StoredMessageIdsAsync()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT "MessageId" FROM product_events WHERE "MessageId" IS NOT NULL""", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>Attempts per outcome and reason ("retry/timeout" → n), from the hub's attempt log.</summary>
    public async Task<Dictionary<string, int>> AttemptOutcomesAsync()
    {
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT "Outcome", coalesce("Reason", ''), count(*) FROM crisp_call_attempts GROUP BY 1, 2""", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            outcomes[$"{reader.GetString(0)}/{reader.GetString(1)}"] = (int)reader.GetInt64(2);
        }

        return outcomes;
    }

    /// <summary>Hangfire servers (name "machine:pid") that processed a job, from Hangfire's own PostgreSQL tables.</summary>
    public async Task<HashSet<string>> HangfireServersThatProcessedJobsAsync()
    {
        var servers = new HashSet<string>(StringComparer.Ordinal);
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT DISTINCT data::jsonb->>'ServerId' FROM hangfire.state WHERE name = 'Processing'""", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            if (!reader.IsDBNull(0))
            {
                servers.Add(reader.GetString(0));
            }
        }

        return servers;
    }

    /// <summary>Runs one statement on the server (CREATE/DROP DATABASE and the like), patiently.</summary>
    public static async Task ExecuteOnServerAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        // CREATE/DROP DATABASE on a busy shared server can take far longer than the default 30 s.
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 300 };
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_keep)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        try
        {
            await ExecuteOnServerAsync(_server, $"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
        }
        catch (NpgsqlException e)
        {
            // The drill's findings stand; a leftover database is only clutter, named so it is easy to find.
            await Console.Error.WriteLineAsync($"Could not drop drill database {Name}: {e.Message}");
        }
    }
}
