using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using IntegrationHub.Crisp.Hooks;
using IntegrationHub.Web.Features.Hooks;
using IntegrationHub.Web.Features.Installations;
using IntegrationHub.Web.Features.Tenants;
using IntegrationHub.Web.Infrastructure.Tenancy;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.Hooks;

/// <summary><c>POST /crisp/hooks</c>: verified, stored once, answered without ever a 500; then processed from the inbox.</summary>
public abstract class HookIntakeTests(IHubFixture fixture) : HubTestBase(fixture)
{
    private static readonly Guid Website = Guid.Parse("2f0c4a1e-8b6d-4e3f-a1b2-c3d4e5f60718");

    [Fact]
    public async Task Post_SameHookDeliveredThreeTimes_StoredOnceAndAllAcknowledged()
    {
        var body = SignedHooks.Body("plugin:settings:saved", Website, new JsonObject { ["settings"] = new JsonObject { ["a"] = 1 } });
        var client = Hub.CreateClient();

        var statuses = new List<string>();
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            // Crisp's retry resends the same body with a new emission timestamp and signature.
            var response = await client.SendAsync(SignedHooks.Request(body, attempt: attempt,
                timestamp: (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + attempt).ToString(CultureInfo.InvariantCulture)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            statuses.Add(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["status"]!.GetValue<string>());
        }

        Assert.Equal(["accepted", "duplicate", "duplicate"], statuses);
        Assert.Equal(1, await InboxCountAsync());
    }

    [Fact]
    public async Task Post_SameHookDeliveredConcurrently_StoredOnceWithoutServerError()
    {
        var body = SignedHooks.Body("plugin:subscription:updated", Website, new JsonObject { ["bound"] = false });
        var client = Hub.CreateClient();

        var responses = await Task.WhenAll(Enumerable.Range(1, 6).Select(i => client.SendAsync(SignedHooks.Request(body, attempt: i))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, await InboxCountAsync());
    }

    [Fact]
    public async Task Post_DifferentEventsSameSecond_StoredSeparately()
    {
        var client = Hub.CreateClient();
        await client.SendAsync(SignedHooks.Request(SignedHooks.Body("plugin:settings:saved", Website, new JsonObject { ["settings"] = new JsonObject { ["a"] = 1 } }, 1)));
        await client.SendAsync(SignedHooks.Request(SignedHooks.Body("plugin:settings:saved", Website, new JsonObject { ["settings"] = new JsonObject { ["a"] = 2 } }, 1)));
        Assert.Equal(2, await InboxCountAsync());
    }

    [Theory]
    [InlineData("wrong-secret", null)]
    [InlineData(null, "")]
    [InlineData(null, "00")]
    [InlineData(null, "not hex at all")]
    public async Task Post_BadOrMissingSignature_Gets401AndStoresNothing(string? secret, string? signature)
    {
        var body = SignedHooks.Body("plugin:settings:saved", Website);
        var response = await Hub.CreateClient().SendAsync(SignedHooks.Request(body, secret: secret ?? HubApplicationFactory.TestHookSecret, signature: signature));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await InboxCountAsync());
    }

    [Fact]
    public async Task Post_BodyChangedAfterSigning_Gets401()
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var signed = SignedHooks.Body("plugin:subscription:updated", Website, new JsonObject { ["bound"] = true });
        var signature = CrispHookSignature.Compute(HubApplicationFactory.TestHookSecret, timestamp, Encoding.UTF8.GetBytes(signed));
        var tampered = signed.Replace("true", "false", StringComparison.Ordinal);

        var response = await Hub.CreateClient().SendAsync(SignedHooks.Request(tampered, timestamp: timestamp, signature: signature));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Post_TwoEditsOfOneMessage_BothStored_ARedeliveryOfEitherIsADuplicate()
    {
        var sent = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var first = Edit("first edit", sent);
        var second = Edit("second edit", sent + 5_000);
        var client = Hub.CreateClient();

        var statuses = new List<string>();
        foreach (var (body, attempt) in new[] { (first, 1), (second, 1), (second, 2), (first, 3) })
        {
            var response = await client.SendAsync(SignedHooks.Request(body, attempt: attempt));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            statuses.Add(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["status"]!.GetValue<string>());
        }

        Assert.Equal(["accepted", "accepted", "duplicate", "duplicate"], statuses);
        Assert.Equal(2, await InboxCountAsync());

        static string Edit(string content, long timestamp) => SignedHooks.Body("message:updated", Website,
            new JsonObject { ["session_id"] = "session_edit", ["fingerprint"] = 163_408_944_558_367, ["content"] = content }, timestamp);
    }

    [Fact]
    public async Task Post_NewMessageRedeliveredWithOtherTimestamp_StillADuplicate()
    {
        var data = new JsonObject { ["session_id"] = "session_new", ["from"] = "user", ["content"] = "hi", ["fingerprint"] = 163_408_944_558_368 };
        var client = Hub.CreateClient();

        var first = await client.SendAsync(SignedHooks.Request(SignedHooks.Body("message:send", Website, data.DeepClone().AsObject(), 1_000)));
        var again = await client.SendAsync(SignedHooks.Request(SignedHooks.Body("message:send", Website, data.DeepClone().AsObject(), 2_000), attempt: 2));

        Assert.Equal("accepted", JsonNode.Parse(await first.Content.ReadAsStringAsync())!["status"]!.GetValue<string>());
        Assert.Equal("duplicate", JsonNode.Parse(await again.Content.ReadAsStringAsync())!["status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(-10, true)] // ten minutes old, milliseconds
    [InlineData(-10, false)] // ten minutes old, seconds
    [InlineData(10, true)] // ten minutes in the future
    [InlineData(-60 * 24 * 365, false)]
    public async Task Post_TimestampOutsideWindow_Gets401(int minutes, bool milliseconds)
    {
        var sent = DateTimeOffset.UtcNow.AddMinutes(minutes);
        var timestamp = (milliseconds ? sent.ToUnixTimeMilliseconds() : sent.ToUnixTimeSeconds()).ToString(CultureInfo.InvariantCulture);

        var response = await Hub.CreateClient().SendAsync(SignedHooks.Request(SignedHooks.Body("plugin:settings:saved", Website), timestamp: timestamp));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await InboxCountAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("-5")]
    [InlineData("9223372036854775807")] // long.MaxValue
    [InlineData("253402300800000")] // the first millisecond after year 9999
    public async Task Post_TimestampNotANumberOrNoDate_Gets401(string timestamp)
    {
        var response = await Hub.CreateClient().SendAsync(SignedHooks.Request(SignedHooks.Body("plugin:settings:saved", Website), timestamp: timestamp));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Post_FreshTimestampInSeconds_Accepted()
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var response = await Hub.CreateClient().SendAsync(SignedHooks.Request(SignedHooks.Body("plugin:settings:saved", Website), timestamp: timestamp));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("this is not json")]
    [InlineData("{\"event\":")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"website_id\":\"x\",\"event\":\"plugin:settings:saved\",\"data\":{}}")]
    [InlineData("{\"website_id\":\"2f0c4a1e-8b6d-4e3f-a1b2-c3d4e5f60718\",\"data\":{}}")]
    [InlineData("{\"website_id\":\"2f0c4a1e-8b6d-4e3f-a1b2-c3d4e5f60718\",\"event\":\"x\",\"data\":[]}")]
    [InlineData("{\"website_id\":\"2f0c4a1e-8b6d-4e3f-a1b2-c3d4e5f60718\",\"event\":\"message:send\\u0000\",\"data\":{}}")] // a 500 on PostgreSQL
    [InlineData("{\"website_id\":\"2f0c4a1e-8b6d-4e3f-a1b2-c3d4e5f60718\",\"event\":\"message:send\\n\",\"data\":{}}")]
    public async Task Post_SignedButNotAValidHook_Gets400(string body)
    {
        var response = await Hub.CreateClient().SendAsync(SignedHooks.Request(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await InboxCountAsync());
    }

    [Theory]
    [InlineData("{\"event\":\"x\",\"event\":\"y\",\"data\":{}}")]
    [InlineData("{\"website_id\":\"2f0c4a1e-8b6d-4e3f-a1b2-c3d4e5f60718\",\"event\":\"x\",\"data\":{\"session_id\":\"a\",\"session_id\":\"b\"}}")]
    public async Task Post_SignedBodyRepeatingAName_Gets400AndStoresNothing(string body)
    {
        var response = await Hub.CreateClient().SendAsync(SignedHooks.Request(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("repeats a property name", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await InboxCountAsync());
    }

    [Fact]
    public async Task Post_SignedBodyNotUtf8_Gets400AndStoresNothing()
    {
        byte[] body = [.. "{\"event\":\"x"u8, 0xFF, .. "\",\"data\":{}}"u8];
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        using var request = SignedHooks.Request("{}", timestamp: timestamp, signature: CrispHookSignature.Compute(HubApplicationFactory.TestHookSecret, timestamp, body));
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        var response = await Hub.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not valid UTF-8", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await InboxCountAsync());
    }

    [Theory]
    [InlineData("{\"event\":\"x\\ud800\",\"data\":{}}")]
    [InlineData("{\"event\":\"x\",\"data\":{\"content\":\"\\udc00\"}}")]
    public async Task Post_SignedBodyWithUnpairedSurrogate_Gets400AndStoresNothing(string body)
    {
        var response = await Hub.CreateClient().SendAsync(SignedHooks.Request(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("unpaired surrogate", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await InboxCountAsync());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task Post_WrongContentType_Gets415(string contentType)
    {
        var response = await Hub.CreateClient().SendAsync(SignedHooks.Request(SignedHooks.Body("plugin:settings:saved", Website), contentType: contentType));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Post_JsonWithCharset_Accepted()
    {
        var response = await Hub.CreateClient().SendAsync(SignedHooks.Request(SignedHooks.Body("plugin:settings:saved", Website), contentType: "application/json; charset=utf-8"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("application/json; charset=latin1")]
    [InlineData("application/json; charset=iso-8859-1")]
    public async Task Post_JsonInAnotherCharset_Gets415NothingStored(string contentType)
    {
        // The body is verified and read as UTF-8: one declared otherwise would be stored as what it says it is not.
        var response = await Hub.CreateClient().SendAsync(SignedHooks.Request(SignedHooks.Body("plugin:settings:saved", Website), contentType: contentType));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("UTF-8", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await InboxCountAsync());
    }

    [Fact]
    public async Task Post_GzipBody_Gets415SayingHooksAreReadUncompressed()
    {
        var body = SignedHooks.Body("plugin:settings:saved", Website);
        using var request = SignedHooks.Request(body);
        using var compressed = new MemoryStream();
        await using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(Encoding.UTF8.GetBytes(body));
        }

        request.Content = new ByteArrayContent(compressed.ToArray());
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Content.Headers.ContentEncoding.Add("gzip");

        var response = await Hub.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("Hooks are read uncompressed: Content-Encoding 'gzip' is not accepted.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await InboxCountAsync());
    }

    [Fact]
    public async Task Post_SignatureHeaderRepeatedByAProxy_SameValue_Accepted_DifferentValues_Gets400()
    {
        using var repeated = SignedHooks.Request(SignedHooks.Body("plugin:settings:saved", Website, new JsonObject { ["settings"] = new JsonObject { ["a"] = 1 } }));
        repeated.Headers.Add("X-Crisp-Signature", repeated.Headers.GetValues("X-Crisp-Signature").Single());
        var same = await Hub.CreateClient().SendAsync(repeated);

        using var conflicting = SignedHooks.Request(SignedHooks.Body("plugin:settings:saved", Website, new JsonObject { ["settings"] = new JsonObject { ["a"] = 2 } }));
        conflicting.Headers.Add("X-Crisp-Signature", new string('0', 64));
        var different = await Hub.CreateClient().SendAsync(conflicting);

        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, different.StatusCode);
        Assert.Contains("may each be sent once", await different.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await InboxCountAsync());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Post_BodyOverLimit_Gets413(bool withContentLength)
    {
        var body = SignedHooks.Body("plugin:settings:saved", Website, new JsonObject { ["settings"] = new JsonObject { ["blob"] = new string('x', 300 * 1024) } });
        using var request = SignedHooks.Request(body);
        if (!withContentLength)
        {
            // Chunked: the length is only known by reading, and reading stops at the limit.
            request.Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body)), 4096);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            request.Headers.TransferEncodingChunked = true;
        }

        var response = await Hub.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await InboxCountAsync());
    }

    [Fact]
    public async Task Process_SettingsSavedForUninstalledWebsite_DoesNotReinstallIt()
    {
        var tenant = await Data.TenantAsync("Acme", Website);
        await Hub.Services.GetRequiredService<InstallationLifecycle>().UninstallAsync(tenant, CancellationToken.None);
        await Hub.CreateClient().SendAsync(SignedHooks.Request(SignedHooks.Body("plugin:settings:saved", Website, new JsonObject { ["settings"] = new JsonObject { ["rate_budget_per_minute"] = 5 } })));

        await ProcessInboxAsync();

        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            Assert.Equal(TenantStatus.Uninstalled, (await db.Tenants.SingleAsync()).Status);
        }
    }

    [Theory]
    [InlineData(null)] // no "settings" at all
    [InlineData("null")]
    [InlineData("\"all\"")]
    [InlineData("[]")]
    public async Task Process_SettingsSavedWithoutASettingsObject_KeepsTheWebsitesSettings(string? settings)
    {
        // Settings are replaced as a whole: such a hook was applied as {} and wiped the website's switches and budget.
        var tenant = await Data.TenantAsync("Acme", Website);
        const string Kept = """{"rate_budget_per_minute":5,"features":{"relay":true}}""";
        var (setup, setupDb) = OpenScope(tenant);
        await using (setup)
        {
            (await setupDb.Tenants.SingleAsync()).SettingsJson = Kept;
            await setupDb.SaveChangesAsync();
        }

        var data = new JsonObject { ["plugin_id"] = Guid.NewGuid().ToString() };
        if (settings is not null)
        {
            data["settings"] = JsonNode.Parse(settings);
        }

        Assert.Equal(HttpStatusCode.OK, (await Hub.CreateClient().SendAsync(SignedHooks.Request(SignedHooks.Body("plugin:settings:saved", Website, data)))).StatusCode);
        await ProcessInboxAsync();

        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            Assert.Equal(Kept, (await db.Tenants.SingleAsync()).SettingsJson);
            var entry = await db.Set<HookInboxEntry>().SingleAsync();
            Assert.Equal(("ignored", 0), (entry.Outcome, entry.Attempts));
        }
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("1765100000.5")]
    [InlineData("0x1F")]
    public async Task Post_TimestampNotAUnixTime_Gets401SayingSo(string timestamp)
    {
        var response = await Hub.CreateClient().SendAsync(SignedHooks.Request(SignedHooks.Body("plugin:settings:saved", Website), timestamp: timestamp));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("must be a Unix time", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, await InboxCountAsync());
    }

    [Fact]
    public async Task Process_HooksForUnknownWebsite_CreateNoTenant()
    {
        var client = Hub.CreateClient();
        await client.SendAsync(SignedHooks.Request(SignedHooks.Body("plugin:settings:saved", Website, new JsonObject { ["settings"] = new JsonObject() })));
        await client.SendAsync(SignedHooks.Request(SignedHooks.Body("plugin:subscription:updated", Website, new JsonObject { ["bound"] = false })));
        await client.SendAsync(SignedHooks.Request(SignedHooks.Body("message:send", Website, new JsonObject { ["session_id"] = "session_1", ["fingerprint"] = 1 })));

        await ProcessInboxAsync();

        var (scope, db) = OpenScope();
        await using (scope)
        {
            Assert.False(await db.Tenants.AcrossTenants().AnyAsync());
            Assert.All(await db.Set<HookInboxEntry>().ToListAsync(), e => Assert.NotNull(e.ProcessedAt));
        }
    }

    [Fact]
    public async Task Sweep_EntryThatThrowsUnexpectedly_IsParkedWithItsErrorAndLaterEntriesStillProcessed()
    {
        // Stored before intake refused such bodies: reading "data" of it throws ArgumentException (a repeated name).
        var bad = await StoreRawAsync("bad", "{\"event\":\"x\",\"event\":\"y\",\"data\":{}}");
        var good = await StoreRawAsync("good", SignedHooks.Body("plugin:settings:saved", Website, new JsonObject { ["settings"] = new JsonObject() }));

        await ProcessInboxAsync();

        var (scope, db) = OpenScope();
        await using (scope)
        {
            var badEntry = await db.Set<HookInboxEntry>().SingleAsync(e => e.Id == bad);
            Assert.Null(badEntry.ProcessedAt);
            Assert.Equal(1, badEntry.Attempts);
            Assert.NotNull(badEntry.NextAttemptAt);
            Assert.StartsWith("ArgumentException", badEntry.LastError, StringComparison.Ordinal);
            Assert.NotNull((await db.Set<HookInboxEntry>().SingleAsync(e => e.Id == good)).ProcessedAt);
        }

        // Retried with backoff until given up: then failed, with its error, and no longer picked by the sweep.
        for (var attempt = 2; attempt <= 6; attempt++)
        {
            await SetNextAttemptAsync(bad, DateTimeOffset.UtcNow.AddSeconds(-1)); // its backoff waited out
            await using var processScope = Hub.Services.CreateAsyncScope();
            await processScope.ServiceProvider.GetRequiredService<HookProcessor>().ProcessAsync(bad, CancellationToken.None);
        }

        var (after, afterDb) = OpenScope();
        await using (after)
        {
            var parked = await afterDb.Set<HookInboxEntry>().SingleAsync(e => e.Id == bad);
            Assert.Equal("failed", parked.Outcome);
            Assert.NotNull(parked.ProcessedAt);
            Assert.StartsWith("ArgumentException", parked.LastError, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task JobAndSweepRacingForOneEntry_ProcessItOnce()
    {
        for (var round = 0; round < 8; round++)
        {
            // A body the processor cannot read (stored before intake refused it): every processing counts an attempt.
            var bad = await StoreRawAsync($"race-bad-{round}", "{\"event\":\"x\",\"event\":\"y\",\"data\":{}}");
            var good = await StoreRawAsync($"race-good-{round}", SignedHooks.Body("plugin:settings:saved", Website, new JsonObject { ["settings"] = new JsonObject() }));

            // The intake's job for each entry and a sweep start at the same moment, as on a node whose sweep is due.
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var workers = new[]
            {
                WorkerAsync(start.Task, p => p.ProcessAsync(bad, CancellationToken.None)),
                WorkerAsync(start.Task, p => p.ProcessAsync(good, CancellationToken.None)),
                WorkerAsync(start.Task, p => p.ProcessPendingAsync(CancellationToken.None)),
            };
            start.SetResult();
            await Task.WhenAll(workers);

            var (scope, db) = OpenScope();
            await using (scope)
            {
                var badEntry = await db.Set<HookInboxEntry>().SingleAsync(e => e.Id == bad);
                Assert.Equal(1, badEntry.Attempts);
                var goodEntry = await db.Set<HookInboxEntry>().SingleAsync(e => e.Id == good);
                Assert.Equal((0, (string?)null, "ignored"), (goodEntry.Attempts, goodEntry.LastError, goodEntry.Outcome));
            }
        }
    }

    [Fact]
    public async Task Sweep_LeavesAnEntryAnotherWorkerHolds_TakesItOnceTheLeaseRanOut()
    {
        var id = await StoreRawAsync("leased", SignedHooks.Body("plugin:settings:saved", Website, new JsonObject { ["settings"] = new JsonObject() }));

        // Another worker claimed it a moment ago: its next attempt is at the end of that worker's lease.
        await SetNextAttemptAsync(id, DateTimeOffset.UtcNow.AddMinutes(1));
        await ProcessInboxAsync();
        await using (var scope = Hub.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<HookProcessor>().ProcessAsync(id, CancellationToken.None);
        }

        Assert.Null((await EntryAsync(id)).ProcessedAt);

        // The worker died: its lease runs out and the next sweep processes the entry.
        await SetNextAttemptAsync(id, DateTimeOffset.UtcNow.AddSeconds(-1));
        await ProcessInboxAsync();
        var entry = await EntryAsync(id);
        Assert.Equal(("ignored", (DateTimeOffset?)null), (entry.Outcome, entry.NextAttemptAt));
    }

    private async Task WorkerAsync(Task start, Func<HookProcessor, Task> work)
    {
        await Task.Yield();
        await using var scope = Hub.Services.CreateAsyncScope();
        var processor = scope.ServiceProvider.GetRequiredService<HookProcessor>();
        await start;
        await work(processor);
    }

    private async Task SetNextAttemptAsync(long id, DateTimeOffset at)
    {
        var (scope, db) = OpenScope();
        await using (scope)
        {
            await db.Set<HookInboxEntry>().Where(e => e.Id == id).ExecuteUpdateAsync(s => s.SetProperty(e => e.NextAttemptAt, at));
        }
    }

    private async Task<HookInboxEntry> EntryAsync(long id)
    {
        var (scope, db) = OpenScope();
        await using (scope)
        {
            return await db.Set<HookInboxEntry>().AsNoTracking().SingleAsync(e => e.Id == id);
        }
    }

    private async Task<long> StoreRawAsync(string key, string payload)
    {
        var (scope, db) = OpenScope();
        await using (scope)
        {
            var entry = new HookInboxEntry { DedupKey = key, WebsiteId = Website, Event = "x", Payload = payload, ReceivedAt = DateTimeOffset.UtcNow };
            db.Set<HookInboxEntry>().Add(entry);
            await db.SaveChangesAsync();
            return entry.Id;
        }
    }

    private async Task ProcessInboxAsync()
    {
        await using var scope = Hub.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<HookProcessor>().ProcessPendingAsync(CancellationToken.None);
    }

    private async Task<int> InboxCountAsync()
    {
        var (scope, db) = OpenScope();
        await using (scope)
        {
            return await db.Set<HookInboxEntry>().CountAsync();
        }
    }
}

public sealed class HookIntakeTestsOnSqlite(SqliteHubFixture fixture) : HookIntakeTests(fixture), IClassFixture<SqliteHubFixture>;

[Collection(PostgresCollection.Name)]
public sealed class HookIntakeTestsOnPostgres(PostgresHubFixture fixture) : HookIntakeTests(fixture);
