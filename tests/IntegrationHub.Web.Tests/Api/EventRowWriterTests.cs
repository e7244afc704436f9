using System.Net;
using System.Text;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.Events;
using IntegrationHub.Web.Features.Rules;
using IntegrationHub.Web.Infrastructure.Tenancy;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.Api;

/// <summary>
/// The ingest writer's raw row paths (multi-row INSERT everywhere, binary COPY on PostgreSQL for larger groups)
/// must store what EF would: every accepted event of a batch, each with the deliveries its rules planned.
/// </summary>
public abstract class EventRowWriterTests(IHubFixture fixture) : ApiTestBase(fixture)
{
    [Fact]
    public async Task Batch_LargerThanCopyThreshold_StoresEveryEventWithItsPlannedDelivery()
    {
        var (tenant, client) = await TenantClientAsync();
        var (scope, _) = OpenScope(tenant);
        await using (scope)
        {
            var created = await scope.ServiceProvider.GetRequiredService<RuleService>().CreateAsync("Orders", new RuleDefinition
            {
                Trigger = "order.*",
                Actions = [new RuleAction { Type = RuleActionType.PeopleEvent, Text = "Order {{ properties.n }}" }],
            }, "test", CancellationToken.None);
            Assert.True(created.Succeeded);
        }

        const int count = EventRowWriter.CopyThreshold * 3;
        var body = new StringBuilder("{\"events\":[");
        for (var i = 0; i < count; i++)
        {
            body.Append(i == 0 ? "" : ",").Append($$"""{"event":"order.paid","email":"user{{i}}@example.com","properties":{"n":{{i}}},"message_id":"m-{{i}}"}""");
        }

        var response = await SendAsync(client, HttpMethod.Post, "/api/v1/events/batch", body.Append("]}").ToString());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(count, (await JsonOf(response)).GetProperty("accepted").GetInt32());
        var (read, db) = OpenScope(tenant);
        await using (read)
        {
            var events = await db.Set<ProductEvent>().ToDictionaryAsync(e => e.Id);
            var calls = await db.Set<CrispCall>().ToListAsync();
            Assert.Equal(count, events.Count);
            Assert.Equal(count, calls.Count);
            foreach (var call in calls)
            {
                var stored = events[call.EventId!.Value];
                Assert.Equal(CrispCallKinds.PeopleEventAdd, call.Kind);
                var n = stored.MessageId!["m-".Length..];
                Assert.Equal($"user{n}@example.com", stored.Email);
                Assert.Contains($"Order {n}", call.Payload, StringComparison.Ordinal);
            }
        }
    }
}

public sealed class EventRowWriterTestsOnSqlite(SqliteHubFixture fixture) : EventRowWriterTests(fixture), IClassFixture<SqliteHubFixture>;

[Collection(PostgresCollection.Name)]
public sealed class EventRowWriterTestsOnPostgres(PostgresHubFixture fixture) : EventRowWriterTests(fixture)
{
    [Fact]
    public async Task Copy_WritesExactlyWhatInsertWrites()
    {
        var tenant = await Data.TenantAsync();
        var occurred = new DateTimeOffset(2026, 3, 4, 5, 6, 7, 891, TimeSpan.Zero).AddTicks(2_340);
        var accepted = new DateTimeOffset(2026, 11, 25, 12, 0, 0, 123, TimeSpan.Zero);
        ProductEvent[] Shapes(string path) =>
        [
            new() { Id = Guid.CreateVersion7(), TenantId = tenant, Name = "order.paid", Email = "ada@example.com", UserId = "u-1", Properties = """{"total":129.5,"note":"naïve ☕ \"quoted\"","items":[{"sku":"A"}]}""", OccurredAt = occurred, AcceptedAt = accepted, MessageId = $"{path}-1", ContentHash = new string('a', 64) },
            new() { Id = Guid.CreateVersion7(), TenantId = tenant, Name = "signed_up", Email = null, UserId = "u-2", Properties = "{}", OccurredAt = occurred, AcceptedAt = accepted, MessageId = null, ContentHash = new string('b', 64) },
            new() { Id = Guid.CreateVersion7(), TenantId = tenant, Name = "viewed", Email = "x@example.com", UserId = null, Properties = "{}", OccurredAt = occurred, AcceptedAt = accepted, MessageId = $"{path}-3", ContentHash = new string('c', 64) },
        ];
        var inserted = Shapes("insert");
        var copied = Shapes("copy");

        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await EventRowWriter.InsertAsync(db, inserted, EventInsertMode.Insert);
            await EventRowWriter.InsertAsync(db, copied, EventInsertMode.Copy);
            await transaction.CommitAsync();
        }

        var (read, readDb) = OpenScope(tenant);
        await using (read)
        {
            var rows = await readDb.Set<ProductEvent>().AsNoTracking().ToDictionaryAsync(e => e.Id);
            Assert.Equal(6, rows.Count);
            for (var i = 0; i < inserted.Length; i++)
            {
                var viaInsert = rows[inserted[i].Id];
                var viaCopy = rows[copied[i].Id];
                Assert.Equal(tenant, viaCopy.TenantId);
                Assert.Equal(viaInsert.Name, viaCopy.Name);
                Assert.Equal(viaInsert.Email, viaCopy.Email);
                Assert.Equal(viaInsert.UserId, viaCopy.UserId);
                Assert.Equal(viaInsert.Properties, viaCopy.Properties);
                Assert.Equal(viaInsert.OccurredAt, viaCopy.OccurredAt);
                Assert.Equal(viaInsert.AcceptedAt, viaCopy.AcceptedAt);
                Assert.Equal(viaInsert.MessageId?.Replace("insert", "copy", StringComparison.Ordinal), viaCopy.MessageId);
                Assert.Equal(viaInsert.ContentHash, viaCopy.ContentHash);
                Assert.Equal(inserted[i].Properties, viaCopy.Properties);
                Assert.Equal(inserted[i].OccurredAt, viaCopy.OccurredAt);
            }
        }
    }

    [Fact]
    public async Task Copy_RowOfAnotherTenant_IsRefusedAndNothingIsWritten()
    {
        var a = await Data.TenantAsync("A");
        var b = await Data.TenantAsync("B");
        var (scope, db) = OpenScope(a);
        await using (scope)
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var rows = Enumerable.Range(0, EventRowWriter.CopyThreshold).Select(i => new ProductEvent
            {
                Id = Guid.CreateVersion7(), TenantId = i == 7 ? b : a, Name = "x", ContentHash = "h", OccurredAt = DateTimeOffset.UtcNow, AcceptedAt = DateTimeOffset.UtcNow,
            }).ToList();
            await Assert.ThrowsAsync<Web.Infrastructure.Tenancy.TenantScopeViolationException>(() => EventRowWriter.InsertAsync(db, rows, EventInsertMode.Copy));
        }

        var (read, readDb) = OpenScope();
        await using (read)
        {
            Assert.Equal(0, await readDb.Set<ProductEvent>().AcrossTenants().CountAsync());
        }
    }
}
