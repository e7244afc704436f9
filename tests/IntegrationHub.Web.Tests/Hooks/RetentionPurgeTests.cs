using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using IntegrationHub.Web.Features.Hooks;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Features.Relay;
using IntegrationHub.Web.Infrastructure.Tenancy;
using IntegrationHub.Web.Tests.DashboardPages;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Tests.Hooks;

/// <summary>
/// The daily purges of <c>hook_inbox</c> and of the relay's finished deliveries: only finished rows older than the
/// retention go, for every website, in batches; unfinished or recent rows stay, and a replay of a purged delivery
/// still reads fine in the API and on its page.
/// </summary>
public abstract class RetentionPurgeTests(IHubFixture fixture) : DashboardPageTestBase(fixture)
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static readonly DateTimeOffset Old = Now.AddDays(-31);

    [Fact]
    public void Retentions_NotConfigured_DefaultTo30Days()
    {
        Assert.Equal(TimeSpan.FromDays(30), new HookOptions().InboxRetention);
        Assert.Equal(TimeSpan.FromDays(30), new RelayOptions().Retention);
    }

    [Fact]
    public async Task HookInbox_FinishedAndOlderThanRetention_Deleted_UnfinishedOrRecentKept_ForEveryWebsite()
    {
        var a = await Data.TenantAsync("A");
        var b = await Data.TenantAsync("B");
        var (scope, db) = OpenScope();
        await using (scope)
        {
            foreach (var website in new Guid?[] { a, b, null })
            {
                db.AddRange(
                    Hook(website, "old-processed", Old, processedAt: Old.AddSeconds(1), outcome: "processed"),
                    Hook(website, "old-ignored", Old, processedAt: Old.AddSeconds(1), outcome: "ignored"),
                    Hook(website, "old-failed", Old, processedAt: Old.AddHours(3), outcome: "failed", nextAttemptAt: Old.AddHours(3)),
                    Hook(website, "old-due", Old, nextAttemptAt: Old.AddHours(1)), // still to be retried: due
                    Hook(website, "old-leased", Old, nextAttemptAt: Now.AddMinutes(2)), // claimed by a worker now
                    Hook(website, "old-finished-lately", Old, processedAt: Now.AddDays(-1), outcome: "failed"),
                    Hook(website, "recent-processed", Now.AddDays(-29), processedAt: Now.AddDays(-29), outcome: "processed"));
            }

            await db.SaveChangesAsync();
        }

        Assert.Equal(9, await PurgeHooksAsync());

        var kept = await HookKeysAsync();
        foreach (var website in new Guid?[] { a, b, null })
        {
            Assert.Equal(["old-due", "old-finished-lately", "old-leased", "recent-processed"], kept.Where(k => k.Website == website).Select(k => k.Event).Order(StringComparer.Ordinal));
        }

        Assert.Equal(0, await PurgeHooksAsync());
    }

    [Fact]
    public async Task HookInbox_MoreThanOneBatch_AllDeletedBatchByBatch()
    {
        var count = HookInboxRetention.BatchSize * 2 + 7;
        var (scope, db) = OpenScope();
        await using (scope)
        {
            db.AddRange(Enumerable.Range(0, count).Select(_ => Hook(null, "old-processed", Old, processedAt: Old, outcome: "processed")));
            db.Add(Hook(null, "recent", Now, processedAt: Now, outcome: "processed"));
            await db.SaveChangesAsync();
        }

        Assert.Equal(count, await PurgeHooksAsync());
        Assert.Equal(["recent"], (await HookKeysAsync()).Select(k => k.Event));
    }

    [Fact]
    public async Task RelayDeliveries_FinalAndOlderThanRetention_DeletedWithTheirAttempts_OthersKept_AcrossTenants()
    {
        var kept = new List<Guid>();
        var purged = new List<Guid>();
        var tenants = new[] { await Data.TenantAsync("A"), await Data.TenantAsync("B") };
        foreach (var tenant in tenants)
        {
            var (scope, db) = OpenScope(tenant);
            await using (scope)
            {
                var endpoint = Endpoint();
                db.Add(endpoint);
                purged.Add(AddDelivery(db, endpoint.Id, RelayDeliveryStatus.Sent, Old, lastAttemptAt: Old, attempts: 1));
                purged.Add(AddDelivery(db, endpoint.Id, RelayDeliveryStatus.Failed, Old, lastAttemptAt: Old.AddDays(1), attempts: 9));
                purged.Add(AddDelivery(db, endpoint.Id, RelayDeliveryStatus.Failed, Old, lastAttemptAt: null, attempts: 0)); // never sent (switched off)
                kept.Add(AddDelivery(db, endpoint.Id, RelayDeliveryStatus.Retrying, Old, lastAttemptAt: Old, attempts: 3));
                kept.Add(AddDelivery(db, endpoint.Id, RelayDeliveryStatus.Queued, Old, lastAttemptAt: null, attempts: 0));
                kept.Add(AddDelivery(db, endpoint.Id, RelayDeliveryStatus.Sending, Old, lastAttemptAt: Old, attempts: 1));
                kept.Add(AddDelivery(db, endpoint.Id, RelayDeliveryStatus.Failed, Old, lastAttemptAt: Now.AddDays(-2), attempts: 2)); // last tried lately
                kept.Add(AddDelivery(db, endpoint.Id, RelayDeliveryStatus.Sent, Now.AddDays(-29), lastAttemptAt: Now.AddDays(-29), attempts: 1));
                await db.SaveChangesAsync();
            }
        }

        Assert.Equal(6, await PurgeRelayAsync());

        var (checkScope, checkDb) = OpenScope();
        await using (checkScope)
        {
            var deliveries = await checkDb.Set<RelayDelivery>().AcrossTenants().Select(d => d.Id).ToListAsync();
            Assert.Equal(kept.Order(), deliveries.Order());
            var attempts = await checkDb.Set<RelayDeliveryAttempt>().AcrossTenants().Select(x => x.DeliveryId).ToListAsync();
            Assert.Empty(attempts.Intersect(purged));
            Assert.Equal(2 * (3 + 0 + 1 + 2 + 1), attempts.Count);
        }

        Assert.Equal(0, await PurgeRelayAsync());
    }

    [Fact]
    public async Task ReplayOfAPurgedDelivery_ApiListAndDetailAndPage_StillAnswer()
    {
        var tenant = await Data.TenantAsync("Acme");
        var endpoint = Endpoint();
        Guid original;
        Guid replay;
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            db.Add(endpoint);
            original = AddDelivery(db, endpoint.Id, RelayDeliveryStatus.Failed, Old, lastAttemptAt: Old, attempts: 9);
            replay = AddDelivery(db, endpoint.Id, RelayDeliveryStatus.Sent, Now, lastAttemptAt: Now, attempts: 1, replayOf: original);
            await db.SaveChangesAsync();
        }

        Assert.Equal(1, await PurgeRelayAsync());

        var key = await Data.ApiKeyAsync(tenant);
        var api = Hub.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Plaintext);
        var detail = await api.GetAsync($"/api/v1/relay/deliveries/{replay}");
        Assert.Equal(HttpStatusCode.OK, detail.StatusCode);
        Assert.Equal(original.ToString("D"), JsonNode.Parse(await detail.Content.ReadAsStringAsync())!["delivery"]!["replay_of_id"]!.GetValue<string>());
        var list = await api.GetAsync($"/api/v1/relay/endpoints/{endpoint.Id}/deliveries");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Contains(replay.ToString("D"), await list.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/relay/deliveries/{original}")).StatusCode);

        var browser = await MemberAsync(tenant, "viewer@acme.example", TenantRole.Viewer);
        var page = await browser.GetAsync($"/t/{tenant:D}/relay/deliveries/{replay:D}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
        Assert.Contains("Replay of an earlier delivery that is no longer kept", html, StringComparison.Ordinal);
        Assert.DoesNotContain($"/relay/deliveries/{original:D}\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/t/{tenant:D}/relay")).StatusCode);
    }

    private static HookInboxEntry Hook(Guid? website, string name, DateTimeOffset receivedAt, DateTimeOffset? processedAt = null, string? outcome = null, DateTimeOffset? nextAttemptAt = null) => new()
    {
        DedupKey = Guid.NewGuid().ToString("N"), WebsiteId = website, Event = name, Payload = "{}", ReceivedAt = receivedAt,
        ProcessedAt = processedAt, Outcome = outcome, NextAttemptAt = nextAttemptAt, Attempts = outcome == "failed" ? 6 : 0,
    };

    private static RelayEndpoint Endpoint() =>
        new() { Id = Guid.NewGuid(), Url = "https://hooks.example.com/in", EventFilter = "*", CreatedAt = Old.AddDays(-1) };

    private static Guid AddDelivery(IntegrationHub.Web.Infrastructure.Data.HubDbContext db, Guid endpoint, string status, DateTimeOffset createdAt, DateTimeOffset? lastAttemptAt, int attempts, Guid? replayOf = null)
    {
        var id = Guid.NewGuid();
        db.Add(new RelayDelivery
        {
            Id = id, EndpointId = endpoint, Event = "message:send", Payload = "{}", WebhookId = RelaySignature.NewWebhookId(), Status = status,
            Attempts = attempts, CreatedAt = createdAt, NextAttemptAt = createdAt, LastAttemptAt = lastAttemptAt, ReplayOfId = replayOf,
            ClaimedBy = status == RelayDeliveryStatus.Sending ? "node:drain" : null, LeaseUntil = status == RelayDeliveryStatus.Sending ? Now.AddMinutes(1) : null,
        });
        for (var n = 1; n <= attempts; n++)
        {
            db.Add(new RelayDeliveryAttempt { DeliveryId = id, Number = n, StartedAt = lastAttemptAt ?? createdAt, StatusCode = 500, LatencyMs = 3 });
        }

        return id;
    }

    private async Task<int> PurgeHooksAsync()
    {
        var (scope, db) = OpenScope();
        await using (scope)
        {
            return await new HookInboxRetention(db, Options.Create(new HookOptions()), TimeProvider.System, NullLogger<HookInboxRetention>.Instance).PurgeExpiredAsync(CancellationToken.None);
        }
    }

    private async Task<int> PurgeRelayAsync()
    {
        var (scope, db) = OpenScope();
        await using (scope)
        {
            return await new RelayRetention(db, Options.Create(new RelayOptions()), TimeProvider.System, NullLogger<RelayRetention>.Instance).PurgeExpiredAsync(CancellationToken.None);
        }
    }

    private async Task<List<(Guid? Website, string Event)>> HookKeysAsync()
    {
        var (scope, db) = OpenScope();
        await using (scope)
        {
            return (await db.Set<HookInboxEntry>().Select(h => new { h.WebsiteId, h.Event }).ToListAsync()).Select(h => (h.WebsiteId, h.Event)).ToList();
        }
    }
}

public sealed class RetentionPurgeTestsOnSqlite(SqliteHubFixture fixture) : RetentionPurgeTests(fixture), IClassFixture<SqliteHubFixture>;

[Collection(PostgresCollection.Name)]
public sealed class RetentionPurgeTestsOnPostgres(PostgresHubFixture fixture) : RetentionPurgeTests(fixture);
