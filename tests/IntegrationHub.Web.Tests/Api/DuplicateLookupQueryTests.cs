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
            var sql = EventIngestWriter.WithMessageIds(db.Set<ProductEvent>(), ["m-1", "m-2", "m-3"]).ToQueryString();

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
            var found = await EventIngestWriter.WithMessageIds(db.Set<ProductEvent>(), ["m-1", "m-3"]).ToListAsync();

            var only = Assert.Single(found);
            Assert.Equal("m-1", only.MessageId);
            Assert.Equal(tenant, only.TenantId);
        }
    }
}

public sealed class DuplicateLookupQueryTestsOnSqlite(SqliteHubFixture fixture) : DuplicateLookupQueryTests(fixture), IClassFixture<SqliteHubFixture>;

[Collection(PostgresCollection.Name)]
public sealed class DuplicateLookupQueryTestsOnPostgres(PostgresHubFixture fixture) : DuplicateLookupQueryTests(fixture);
