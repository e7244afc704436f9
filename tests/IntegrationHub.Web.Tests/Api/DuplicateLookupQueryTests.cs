using IntegrationHub.Web.Features.Events;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Tests.Api;

/// <summary>
/// Every commit of the ingest writer looks up the message ids it is about to store. That lookup must be one the
/// (TenantId, MessageId) index answers: a null-compensating OR in it made PostgreSQL scan all of a tenant's events
/// on every commit (its CPU per commit grew with the table).
/// </summary>
public abstract class DuplicateLookupQueryTests(IHubFixture fixture) : ApiTestBase(fixture)
{
    [Fact]
    public async Task MessageIdLookup_IsTenantScopedAndHasNoNullCompensatingOr()
    {
        var tenant = await Data.TenantAsync();
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            var sql = EventIngestWriter.WithMessageIds(db, ["m-1", "m-2", "m-3"]).ToQueryString();

            Assert.Contains("TenantId", sql, StringComparison.Ordinal);
            Assert.Contains("MessageId", sql, StringComparison.Ordinal);
            Assert.DoesNotContain(" OR ", sql, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("array_position", sql, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task MessageIdLookup_FindsOnlyTheNamedEventsOfTheTenant()
    {
        var (tenant, client) = await TenantClientAsync("Lookup A");
        var (_, other) = await TenantClientAsync("Lookup B");
        foreach (var (who, id) in new[] { (client, "m-1"), (client, "m-2"), (other, "m-1") })
        {
            var response = await SendAsync(who, HttpMethod.Post, "/api/v1/events", $$"""{"event":"e","email":"a@example.com","message_id":"{{id}}"}""");
            Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        }

        var none = await SendAsync(client, HttpMethod.Post, "/api/v1/events", """{"event":"e","email":"a@example.com"}""");
        Assert.Equal(System.Net.HttpStatusCode.Accepted, none.StatusCode);

        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            var found = await EventIngestWriter.WithMessageIds(db, ["m-1", "m-3"]).ToListAsync();

            var only = Assert.Single(found);
            Assert.Equal("m-1", only.MessageId);
            Assert.Equal(tenant, only.TenantId);
        }
    }
}

public sealed class DuplicateLookupQueryTestsOnSqlite(SqliteHubFixture fixture) : DuplicateLookupQueryTests(fixture), IClassFixture<SqliteHubFixture>;

[Collection(PostgresCollection.Name)]
public sealed class DuplicateLookupQueryTestsOnPostgres(PostgresHubFixture fixture) : DuplicateLookupQueryTests(fixture)
{
    /// <summary>
    /// Statistics taken while the table was small, then a big tenant: PostgreSQL must still probe the message-id
    /// index once per id rather than read every event of the tenant and filter (what it chose for the plain
    /// <c>= ANY(@ids)</c> lookup with a few hundred ids).
    /// </summary>
    [Fact]
    public async Task MessageIdLookup_WithStaleStatistics_ProbesTheMessageIdIndex()
    {
        var tenant = await Data.TenantAsync();
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            await db.Database.OpenConnectionAsync();
            await InsertEventsAsync(db, tenant, from: 1, to: 50);
            await db.Database.ExecuteSqlRawAsync("ANALYZE product_events");
            await InsertEventsAsync(db, tenant, from: 51, to: 30_000);

            var ids = Enumerable.Range(0, 500).Select(i => $"m-{i * 61}").ToList();
            await using var explain = EventIngestWriter.WithMessageIds(db, ids).AsNoTracking().Select(e => new { e.MessageId, e.Id, e.ContentHash }).CreateDbCommand();
            explain.CommandText = "EXPLAIN " + explain.CommandText;
            var plan = new System.Text.StringBuilder();
            await using (var reader = await explain.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    plan.AppendLine(reader.GetString(0));
                }
            }

            Assert.Matches("Index Cond: .*MessageId", plan.ToString());
            Assert.DoesNotContain("Recheck Cond: (\"TenantId\" = ", plan.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("Seq Scan on product_events", plan.ToString(), StringComparison.Ordinal);

            var found = await EventIngestWriter.WithMessageIds(db, ids).AsNoTracking().CountAsync();
            Assert.Equal(ids.Count(id => int.Parse(id[2..], System.Globalization.CultureInfo.InvariantCulture) is >= 1 and <= 30_000), found);
        }
    }

    private static Task<int> InsertEventsAsync(Microsoft.EntityFrameworkCore.DbContext db, Guid tenant, int from, int to) =>
        db.Database.ExecuteSqlInterpolatedAsync($$"""
            INSERT INTO product_events ("Id", "TenantId", "Name", "Properties", "OccurredAt", "AcceptedAt", "MessageId", "ContentHash")
            SELECT gen_random_uuid(), {{tenant}}, 'e', '{}', now(), now(), 'm-' || g, 'h' FROM generate_series({{from}}, {{to}}) AS g
            """);
}
