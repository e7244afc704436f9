using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IntegrationHub.Web.Features.CrispSettings;
using IntegrationHub.Web.Features.Credentials;
using IntegrationHub.Web.Features.Hooks;
using IntegrationHub.Web.Features.Relay;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.Relay;

/// <summary>A hub whose relay may reach loopback (the test receiver); everything else as in production.</summary>
public sealed class RelayLoopbackFixture : SqliteHubFixture
{
    internal static readonly Dictionary<string, string?> LoopbackSettings = new()
    {
        ["Relay:AllowPrivateTargets"] = "true",
        ["Relay:Timeout"] = "00:00:05",
    };

    protected override IReadOnlyDictionary<string, string?>? Settings => LoopbackSettings;
}

/// <summary>The same on PostgreSQL, on a database of its own (its settings differ from the shared fixture's).</summary>
public sealed class RelayLoopbackPostgresFixture : OwnPostgresHubFixture
{
    protected override IReadOnlyDictionary<string, string?>? Settings => RelayLoopbackFixture.LoopbackSettings;
}

public abstract class RelayTestBase(IHubFixture fixture) : HubTestBase(fixture)
{
    protected async Task<(Guid Tenant, HttpClient Client)> TenantClientAsync(string name, Guid? website = null)
    {
        var tenant = await Data.TenantAsync(name, website ?? Guid.NewGuid());
        var key = await Data.ApiKeyAsync(tenant);
        var client = Hub.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Plaintext);
        return (tenant, client);
    }

    protected static async Task<HttpResponseMessage> CreateEndpointAsync(HttpClient client, string url, params string[] events) =>
        await client.PostAsync("/api/v1/relay/endpoints", new StringContent(new JsonObject { ["url"] = url, ["events"] = new JsonArray(events.Select(e => (JsonNode)e!).ToArray()) }.ToJsonString(), Encoding.UTF8, "application/json"));

    protected static async Task<(Guid Id, string Secret)> CreatedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return (Guid.Parse(json["endpoint"]!["id"]!.GetValue<string>()), json["secret"]!.GetValue<string>());
    }

    protected async Task DeliverHookAsync(Guid website, string eventName, JsonObject? data = null)
    {
        var response = await Hub.CreateClient().SendAsync(SignedHooks.Request(SignedHooks.Body(eventName, website, data ?? new JsonObject { ["session_id"] = "session_1", ["fingerprint"] = Random.Shared.NextInt64() })));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var scope = Hub.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<HookProcessor>().ProcessPendingAsync(CancellationToken.None);
    }

    protected async Task<int> DrainAsync()
    {
        await using var scope = Hub.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RelaySender>().DrainAsync(CancellationToken.None);
    }

    protected async Task<List<RelayDelivery>> DeliveriesAsync(Guid tenant)
    {
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            return await db.Set<RelayDelivery>().AsNoTracking().ToListAsync();
        }
    }
}

/// <summary>Fan-out from hook_inbox to a loopback receiver, signatures, retries, redirects, rotation, replay, disabling.</summary>
public abstract partial class RelayDeliveryTests(IHubFixture fixture) : RelayTestBase(fixture)
{
    [Fact]
    public async Task StoredHook_MatchingEndpoint_ReachesReceiverWithValidStandardWebhooksHeaders()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        var (tenant, client) = await TenantClientAsync("Acme");
        var (_, secret) = await CreatedAsync(await CreateEndpointAsync(client, receiver.BaseUrl + "/hooks", "message:*"));
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);

        await DeliverHookAsync(tenant, "message:send");
        Assert.Equal(1, await DrainAsync());

        var received = Assert.Single(receiver.Requests);
        Assert.Equal("/hooks", received.Path);
        Assert.StartsWith("msg_", received.Headers["webhook-id"], StringComparison.Ordinal);
        var timestamp = long.Parse(received.Headers["webhook-timestamp"], CultureInfo.InvariantCulture);
        Assert.InRange(timestamp, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 5);
        Assert.Equal("message:send", JsonNode.Parse(received.Body)!["event"]!.GetValue<string>());
        Assert.True(StandardWebhooksVerifier.Verify(secret, received.Headers["webhook-id"], received.Headers["webhook-timestamp"], received.Body, received.Headers["webhook-signature"]));
        Assert.False(StandardWebhooksVerifier.Verify(secret, received.Headers["webhook-id"], received.Headers["webhook-timestamp"], received.Body + " ", received.Headers["webhook-signature"]));

        var delivery = Assert.Single(await DeliveriesAsync(tenant));
        Assert.Equal(RelayDeliveryStatus.Sent, delivery.Status);
        Assert.Equal(204, delivery.LastStatus);
        Assert.NotNull(delivery.LatencyMs);
        Assert.Equal(received.Headers["webhook-id"], delivery.WebhookId);
    }

    [Fact]
    public async Task StoredHook_NonMatchingFilter_ProducesNothing()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        var (tenant, client) = await TenantClientAsync("Acme");
        await CreatedAsync(await CreateEndpointAsync(client, receiver.BaseUrl, "session:*", "message:received"));

        await DeliverHookAsync(tenant, "message:send");

        Assert.Equal(0, await DrainAsync());
        Assert.Empty(await DeliveriesAsync(tenant));
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task RelaySwitchedOffInSettings_NothingRelayedNorKept_QueuedDeliveriesNotSent()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        var (tenant, client) = await TenantClientAsync("Acme");
        await CreatedAsync(await CreateEndpointAsync(client, receiver.BaseUrl, "*"));
        await DeliverHookAsync(tenant, "message:send"); // queued while on, not yet sent

        await SwitchRelayAsync(tenant, on: false);
        await DeliverHookAsync(tenant, "message:send");
        await DrainAsync();

        Assert.Empty(receiver.Requests);
        var queuedBefore = Assert.Single(await DeliveriesAsync(tenant));
        Assert.Equal(RelayDeliveryStatus.Failed, queuedBefore.Status);
        Assert.Contains("switched off", queuedBefore.ResponseExcerpt, StringComparison.Ordinal);

        // Back on: only what arrives from now on is relayed; nothing of the time it was off comes out.
        await SwitchRelayAsync(tenant, on: true);
        await DeliverHookAsync(tenant, "message:received");
        await DrainAsync();

        var received = Assert.Single(receiver.Requests);
        Assert.Equal("message:received", JsonNode.Parse(received.Body)!["event"]!.GetValue<string>());
    }

    /// <summary>What the settings page's "Relay Crisp events to your backend" switch stores.</summary>
    private async Task SwitchRelayAsync(Guid tenant, bool on)
    {
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            var row = await db.Tenants.SingleAsync();
            row.SettingsJson = new TenantSettings { Features = new TenantFeatures { Relay = on } }.MergeInto(row.SettingsJson).ToJsonString();
            await db.SaveChangesAsync();
        }
    }

    [Fact]
    public async Task Receiver500_RetryScheduledWithBackoff_ExcerptLogged()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        receiver.Status = 500;
        receiver.Body = new string('e', 2000);
        var (tenant, client) = await TenantClientAsync("Acme");
        await CreatedAsync(await CreateEndpointAsync(client, receiver.BaseUrl, "*"));

        await DeliverHookAsync(tenant, "message:send");
        await DrainAsync();

        var delivery = Assert.Single(await DeliveriesAsync(tenant));
        Assert.Equal(RelayDeliveryStatus.Retrying, delivery.Status);
        Assert.Equal(1, delivery.Attempts);
        Assert.Equal(500, delivery.LastStatus);
        Assert.Equal(500, delivery.ResponseExcerpt!.Length);
        Assert.InRange(delivery.NextAttemptAt, DateTimeOffset.UtcNow.AddSeconds(50), DateTimeOffset.UtcNow.AddMinutes(2));
        Assert.Equal(0, await DrainAsync()); // not due yet
    }

    [Theory]
    [InlineData(429, "3600", 3600, true)] // later than the first fixed step (1 m): honoured
    [InlineData(503, "date+7200", 7200, true)] // an HTTP date, on a 503 too
    [InlineData(429, "86400", 8 * 3600, true)] // a day asked: capped at the longest fixed step
    [InlineData(429, "10", 60, false)] // sooner than the fixed step: the schedule
    [InlineData(429, "soon", 60, false)] // unreadable: the schedule
    [InlineData(500, "3600", 60, false)] // only 429 and 503 are asked to wait
    public async Task ReceiverAsksToWait_RetryAfterLaterThanTheScheduleHonouredCappedAndNotedOnTheAttempt(int status, string retryAfter, int expectedSeconds, bool noted)
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        receiver.Status = status;
        receiver.Body = "busy";
        receiver.RetryAfter = retryAfter.StartsWith("date+", StringComparison.Ordinal)
            ? DateTimeOffset.UtcNow.AddSeconds(int.Parse(retryAfter["date+".Length..], CultureInfo.InvariantCulture)).ToString("R", CultureInfo.InvariantCulture)
            : retryAfter;
        var (tenant, client) = await TenantClientAsync("Acme");
        await CreatedAsync(await CreateEndpointAsync(client, receiver.BaseUrl, "*"));

        await DeliverHookAsync(tenant, "message:send");
        await DrainAsync();

        var delivery = Assert.Single(await DeliveriesAsync(tenant));
        Assert.Equal((RelayDeliveryStatus.Retrying, 1, status), (delivery.Status, delivery.Attempts, delivery.LastStatus));
        var expected = DateTimeOffset.UtcNow.AddSeconds(expectedSeconds);
        // The fixed step has up to 10 % jitter; an honoured Retry-After has none (an HTTP date counts whole seconds).
        Assert.InRange(delivery.NextAttemptAt, expected.AddSeconds(-30), expected.AddSeconds(noted ? 30 : 30 + expectedSeconds * 0.1));
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            var attempt = Assert.Single(await db.Set<RelayDeliveryAttempt>().AsNoTracking().ToListAsync());
            Assert.Equal(status, attempt.StatusCode);
            if (noted)
            {
                Assert.StartsWith("[Retry-After honoured", attempt.ResponseExcerpt, StringComparison.Ordinal);
                Assert.Contains($"next attempt {delivery.NextAttemptAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC] busy", attempt.ResponseExcerpt, StringComparison.Ordinal);
                Assert.Equal(expectedSeconds == 8 * 3600, attempt.ResponseExcerpt!.Contains("(capped at 8 h)", StringComparison.Ordinal));
                Assert.Equal(attempt.ResponseExcerpt, delivery.ResponseExcerpt);
            }
            else
            {
                Assert.Equal("busy", attempt.ResponseExcerpt);
            }
        }

        Assert.Equal(0, await DrainAsync()); // not due yet
    }

    [Fact]
    public void Backoff_AboutEightAttemptsOverADay()
    {
        Assert.Equal(8, RelaySender.Backoff.Length);
        var total = RelaySender.Backoff.Aggregate(TimeSpan.Zero, (a, b) => a + b);
        Assert.InRange(total, TimeSpan.FromHours(20), TimeSpan.FromHours(30));
    }

    [Fact]
    public async Task Redirect_NotFollowed_CountsAsFailure()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        receiver.RedirectTo = receiver.BaseUrl + "/elsewhere";
        var (tenant, client) = await TenantClientAsync("Acme");
        await CreatedAsync(await CreateEndpointAsync(client, receiver.BaseUrl + "/first", "*"));

        await DeliverHookAsync(tenant, "message:send");
        await DrainAsync();

        var only = Assert.Single(receiver.Requests);
        Assert.Equal("/first", only.Path);
        var delivery = Assert.Single(await DeliveriesAsync(tenant));
        Assert.Equal(302, delivery.LastStatus);
        Assert.Equal(RelayDeliveryStatus.Retrying, delivery.Status);
    }

    [Fact]
    public async Task RotateSecret_TwiceWithinTheOverlap_TheFirstSecretStillVerifies()
    {
        // The receiver still checks with the first secret: a second rotation (the new secret was not copied in time)
        // cut it off at once, though the first rotation had promised it a day.
        await using var receiver = await LoopbackReceiver.StartAsync();
        var (tenant, client) = await TenantClientAsync("Acme");
        var (id, first) = await CreatedAsync(await CreateEndpointAsync(client, receiver.BaseUrl, "*"));
        var secrets = new List<string> { first };
        for (var i = 0; i < 2; i++)
        {
            var rotated = await client.PostAsync($"/api/v1/relay/endpoints/{id}/rotate-secret", null);
            Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
            secrets.Add(JsonNode.Parse(await rotated.Content.ReadAsStringAsync())!["secret"]!.GetValue<string>());
        }

        await DeliverHookAsync(tenant, "message:send");
        await DrainAsync();

        var received = Assert.Single(receiver.Requests);
        var header = received.Headers["webhook-signature"];
        Assert.Equal(3, header.Split(' ').Length);
        Assert.All(secrets, secret => Assert.True(StandardWebhooksVerifier.Verify(secret, received.Headers["webhook-id"], received.Headers["webhook-timestamp"], received.Body, header)));

        // Rotating on and on does not grow the header without end.
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/relay/endpoints/{id}/rotate-secret", null)).StatusCode);
        }

        await DeliverHookAsync(tenant, "message:received");
        await DrainAsync();
        Assert.Equal(RelayService.MaxPreviousSecrets + 1, receiver.Requests.Last().Headers["webhook-signature"].Split(' ').Length);
    }

    [Fact]
    public async Task RotateSecret_DuringOverlap_BothSignaturesVerify()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        var (tenant, client) = await TenantClientAsync("Acme");
        var (id, oldSecret) = await CreatedAsync(await CreateEndpointAsync(client, receiver.BaseUrl, "*"));

        var rotated = await client.PostAsync($"/api/v1/relay/endpoints/{id}/rotate-secret", null);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var json = JsonNode.Parse(await rotated.Content.ReadAsStringAsync())!;
        var newSecret = json["secret"]!.GetValue<string>();
        Assert.NotEqual(oldSecret, newSecret);
        Assert.NotNull(json["previous_secret_expires_at"]);

        await DeliverHookAsync(tenant, "message:send");
        await DrainAsync();

        var received = Assert.Single(receiver.Requests);
        var header = received.Headers["webhook-signature"];
        Assert.Equal(2, header.Split(' ').Length);
        Assert.True(StandardWebhooksVerifier.Verify(newSecret, received.Headers["webhook-id"], received.Headers["webhook-timestamp"], received.Body, header));
        Assert.True(StandardWebhooksVerifier.Verify(oldSecret, received.Headers["webhook-id"], received.Headers["webhook-timestamp"], received.Body, header));

        // After the overlap only the new secret signs.
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            var endpoint = await db.Set<RelayEndpoint>().SingleAsync();
            endpoint.PreviousSecretExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1);
            await db.SaveChangesAsync();
        }

        await DeliverHookAsync(tenant, "message:received");
        await DrainAsync();
        var second = receiver.Requests.Last();
        Assert.Single(second.Headers["webhook-signature"].Split(' '));
        Assert.False(StandardWebhooksVerifier.Verify(oldSecret, second.Headers["webhook-id"], second.Headers["webhook-timestamp"], second.Body, second.Headers["webhook-signature"]));
        Assert.True(StandardWebhooksVerifier.Verify(newSecret, second.Headers["webhook-id"], second.Headers["webhook-timestamp"], second.Body, second.Headers["webhook-signature"]));
    }

    [Fact]
    public async Task Secret_ShownOnceAndStoredEncrypted()
    {
        var (tenant, client) = await TenantClientAsync("Acme");
        var (id, secret) = await CreatedAsync(await CreateEndpointAsync(client, "https://hooks.example.com/crisp", "*"));

        var list = await client.GetStringAsync("/api/v1/relay/endpoints");
        Assert.Contains(id.ToString("D"), list, StringComparison.Ordinal);
        Assert.DoesNotContain(secret["whsec_".Length..], list, StringComparison.Ordinal);

        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            var row = await db.Set<TenantSecret>().SingleAsync(s => s.Name == RelayService.SecretName(id));
            Assert.DoesNotContain(secret["whsec_".Length..], row.Ciphertext, StringComparison.Ordinal);
            Assert.Equal(secret, await scope.ServiceProvider.GetRequiredService<TenantSecrets>().GetAsync(RelayService.SecretName(id), CancellationToken.None));
        }
    }

    [Fact]
    public async Task Replay_SendsAgainWithNewWebhookId()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        var (tenant, client) = await TenantClientAsync("Acme");
        var (id, secret) = await CreatedAsync(await CreateEndpointAsync(client, receiver.BaseUrl, "*"));
        await DeliverHookAsync(tenant, "message:send");
        await DrainAsync();
        var original = Assert.Single(await DeliveriesAsync(tenant));

        var replay = await client.PostAsync($"/api/v1/relay/deliveries/{original.Id}/replay", null);
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        await DrainAsync();

        Assert.Equal(2, receiver.Requests.Count);
        var again = receiver.Requests.Last();
        Assert.NotEqual(original.WebhookId, again.Headers["webhook-id"]);
        Assert.True(StandardWebhooksVerifier.Verify(secret, again.Headers["webhook-id"], again.Headers["webhook-timestamp"], again.Body, again.Headers["webhook-signature"]));

        var log = JsonNode.Parse(await client.GetStringAsync($"/api/v1/relay/endpoints/{id}/deliveries"))!.AsArray();
        Assert.Equal(2, log.Count);
        Assert.All(log, d => Assert.Equal("sent", d!["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task EndpointFailingForDays_IsDisabledWithReason()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        receiver.Status = 503;
        var (tenant, client) = await TenantClientAsync("Acme");
        await CreatedAsync(await CreateEndpointAsync(client, receiver.BaseUrl, "*"));
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            var endpoint = await db.Set<RelayEndpoint>().SingleAsync();
            endpoint.FailingSince = DateTimeOffset.UtcNow.AddDays(-4);
            await db.SaveChangesAsync();
        }

        await DeliverHookAsync(tenant, "message:send");
        await DrainAsync();

        var listed = JsonNode.Parse(await client.GetStringAsync("/api/v1/relay/endpoints"))!.AsArray().Single()!;
        Assert.False(listed["enabled"]!.GetValue<bool>());
        Assert.Contains("503", listed["disabled_reason"]!.GetValue<string>(), StringComparison.Ordinal);

        // A disabled endpoint gets no new deliveries.
        await DeliverHookAsync(tenant, "message:received");
        Assert.Single(await DeliveriesAsync(tenant));
    }

    [Fact]
    public async Task EndpointWhoseFailedAttemptsWerePurged_FailingAgain_StartsANewStreak_NotDisabledAtOnce()
    {
        // Its streak began 40 days ago and its deliveries were purged after Relay:Retention (30 days): nothing stored
        // said it had been quiet since, and its next failure disabled it at once.
        await using var receiver = await LoopbackReceiver.StartAsync();
        receiver.Status = 503;
        var (tenant, client) = await TenantClientAsync("Acme");
        await CreatedAsync(await CreateEndpointAsync(client, receiver.BaseUrl, "*"));
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            (await db.Set<RelayEndpoint>().SingleAsync()).FailingSince = DateTimeOffset.UtcNow.AddDays(-40);
            await db.SaveChangesAsync();
        }

        await DeliverHookAsync(tenant, "message:send");
        await DrainAsync();

        Assert.Single(receiver.Requests);
        var listed = JsonNode.Parse(await client.GetStringAsync("/api/v1/relay/endpoints"))!.AsArray().Single()!;
        Assert.True(listed["enabled"]!.GetValue<bool>());
        Assert.True(listed["failing_since"]!.GetValue<DateTimeOffset>() > DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [Theory]
    [InlineData(6 * 24, true)]
    [InlineData(2, false)]
    public async Task EndpointFailingDaysAgo_FailingAgain_AfterAQuietSpellStartsANewStreak_WithinTheBackoffKeepsTheOld(int hoursSinceLastAttempt, bool stillEnabled)
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        receiver.Status = 503;
        var (tenant, client) = await TenantClientAsync("Acme");
        await CreatedAsync(await CreateEndpointAsync(client, receiver.BaseUrl, "*"));
        await DeliverHookAsync(tenant, "message:send");
        await DrainAsync();
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            // The first streak began a week ago; its last attempt was hoursSinceLastAttempt ago.
            (await db.Set<RelayEndpoint>().SingleAsync()).FailingSince = DateTimeOffset.UtcNow.AddDays(-7);
            var earlier = await db.Set<RelayDelivery>().SingleAsync();
            earlier.Status = RelayDeliveryStatus.Failed;
            earlier.LastAttemptAt = DateTimeOffset.UtcNow.AddHours(-hoursSinceLastAttempt);
            await db.SaveChangesAsync();
        }

        await DeliverHookAsync(tenant, "message:received");
        await DrainAsync();

        var listed = JsonNode.Parse(await client.GetStringAsync("/api/v1/relay/endpoints"))!.AsArray().Single()!;
        Assert.Equal(stillEnabled, listed["enabled"]!.GetValue<bool>());
        var failingSince = listed["failing_since"]!.GetValue<DateTimeOffset>();
        Assert.Equal(stillEnabled, DateTimeOffset.UtcNow - failingSince < TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task EndpointDisabledForFailing_EnabledThroughTheApi_ReceivesAgainAndAFailedDeliveryReplays()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        receiver.Status = 503;
        var (tenant, client) = await TenantClientAsync("Acme");
        var (id, _) = await CreatedAsync(await CreateEndpointAsync(client, receiver.BaseUrl, "*"));
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            var endpoint = await db.Set<RelayEndpoint>().SingleAsync();
            endpoint.FailingSince = DateTimeOffset.UtcNow.AddDays(-4);
            await db.SaveChangesAsync();
        }

        await DeliverHookAsync(tenant, "message:send");
        await DrainAsync();
        var failed = Assert.Single(await DeliveriesAsync(tenant));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await client.PostAsync($"/api/v1/relay/deliveries/{failed.Id}/replay", null)).StatusCode);
        receiver.Status = 200;

        var enabled = await client.PostAsync($"/api/v1/relay/endpoints/{id}/enable", null);

        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        var body = JsonNode.Parse(await enabled.Content.ReadAsStringAsync())!;
        Assert.True(body["enabled"]!.GetValue<bool>());
        Assert.Null(body["disabled_reason"]);
        Assert.Null(body["failing_since"]);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/v1/relay/deliveries/{failed.Id}/replay", null)).StatusCode);
        await DeliverHookAsync(tenant, "message:received");
        await DrainAsync();
        // The failed first try, then the replay and the new hook.
        Assert.Equal(3, receiver.Requests.Count);
        (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            Assert.Equal(["apikey:"], await db.Set<IntegrationHub.Web.Features.Audit.AuditEntry>().Where(a => a.Action == "relay.endpoint.enabled").Select(a => a.Actor.Substring(0, 7)).ToListAsync());
        }
    }

    [Fact]
    public async Task UpdateUrl_WhileADeliveryIsRetrying_TheDeliveryGoesToTheNewUrlNowWithItsWebhookId()
    {
        // The only way to move an endpoint was delete + create, which deleted its pending deliveries with it.
        await using var old = await LoopbackReceiver.StartAsync();
        old.Status = 503;
        await using var moved = await LoopbackReceiver.StartAsync();
        moved.Status = 200;
        var (tenant, client) = await TenantClientAsync("Acme");
        var (id, secret) = await CreatedAsync(await CreateEndpointAsync(client, old.BaseUrl + "/old", "message:*"));
        await DeliverHookAsync(tenant, "message:send");
        await DrainAsync();
        var retrying = Assert.Single(await DeliveriesAsync(tenant));
        Assert.Equal(RelayDeliveryStatus.Retrying, retrying.Status);

        var response = await client.PatchAsync($"/api/v1/relay/endpoints/{id}", new StringContent(new JsonObject { ["url"] = moved.BaseUrl + "/new" }.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal((moved.BaseUrl + "/new", "message:*"), (body["url"]!.GetValue<string>(), body["events"]![0]!.GetValue<string>()));
        Assert.Null(body["failing_since"]);
        Assert.Equal(1, await DrainAsync()); // due now, not after its back-off
        var received = Assert.Single(moved.Requests);
        Assert.Equal(("/new", retrying.WebhookId), (received.Path, received.Headers["webhook-id"]));
        Assert.True(StandardWebhooksVerifier.Verify(secret, received.Headers["webhook-id"], received.Headers["webhook-timestamp"], received.Body, received.Headers["webhook-signature"]));
        var sent = Assert.Single(await DeliveriesAsync(tenant));
        Assert.Equal((retrying.Id, RelayDeliveryStatus.Sent, 2), (sent.Id, sent.Status, sent.Attempts));
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            Assert.Equal(1, await db.Set<IntegrationHub.Web.Features.Audit.AuditEntry>().CountAsync(a => a.Action == "relay.endpoint.updated"));
        }
    }

    [Fact]
    public async Task EnableThroughTheApi_AnEndpointThatIsOnAndFailing_KeepsItsFailureClock()
    {
        var (tenant, client) = await TenantClientAsync("Acme");
        var (id, _) = await CreatedAsync(await CreateEndpointAsync(client, "https://hooks.example.com/in", "*"));
        var since = DateTimeOffset.UtcNow.AddDays(-2);
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            (await db.Set<RelayEndpoint>().SingleAsync()).FailingSince = since;
            await db.SaveChangesAsync();
        }

        var enabled = await client.PostAsync($"/api/v1/relay/endpoints/{id}/enable", null);

        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        var failingSince = JsonNode.Parse(await enabled.Content.ReadAsStringAsync())!["failing_since"]!.GetValue<DateTimeOffset>();
        Assert.True((failingSince - since).Duration() < TimeSpan.FromSeconds(1), $"failing_since {failingSince:O} instead of {since:O}");
        (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            Assert.False(await db.Set<IntegrationHub.Web.Features.Audit.AuditEntry>().AnyAsync(a => a.Action == "relay.endpoint.enabled"));
        }

        var disabled = JsonNode.Parse(await (await client.PostAsync($"/api/v1/relay/endpoints/{id}/disable", null)).Content.ReadAsStringAsync())!;
        Assert.False(disabled["enabled"]!.GetValue<bool>());
        Assert.Equal("Disabled by a member.", disabled["disabled_reason"]!.GetValue<string>());
    }
}

/// <summary>Production settings (no private targets): the SSRF guard, registration checks and tenant isolation.</summary>
public abstract class RelayGuardTests(IHubFixture fixture) : RelayTestBase(fixture)
{
    [Theory]
    [InlineData("https://127.0.0.1/hook")]
    [InlineData("https://10.1.2.3/hook")]
    [InlineData("https://192.168.1.10/hook")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://[::1]/hook")]
    [InlineData("https://[fc00::1]/hook")]
    [InlineData("https://[fd12:3456::1]/hook")]
    [InlineData("https://[::ffff:127.0.0.1]/hook")]
    [InlineData("https://[fe80::1]/hook")]
    [InlineData("https://localhost/hook")]
    public async Task SsrfGuard_RefusesPrivateTargetsAtConnectTime(string url)
    {
        var http = Hub.Services.GetRequiredService<IHttpClientFactory>().CreateClient(RelaySender.HttpClientName);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => http.PostAsync(url, new StringContent("{}")));

        Assert.IsType<RelayTargetRefusedException>(error.InnerException);
    }

    [Fact]
    public async Task SsrfGuard_LocalhostReceiver_NeverGetsARequest_DeliveryLogsTheRefusal()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        var (tenant, _) = await TenantClientAsync("Acme");
        var port = new Uri(receiver.BaseUrl).Port;
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            // Written directly: registration would refuse this URL (tested below); the connect-time guard must hold on its own.
            var endpoint = new RelayEndpoint { Id = Guid.NewGuid(), Url = $"http://localhost:{port}/hook", EventFilter = "*", CreatedAt = DateTimeOffset.UtcNow };
            db.Add(endpoint);
            await scope.ServiceProvider.GetRequiredService<TenantSecrets>().SetAsync(RelayService.SecretName(endpoint.Id), RelaySignature.NewSecret(), CancellationToken.None);
            await db.SaveChangesAsync();
        }

        await DeliverHookAsync(tenant, "message:send");
        await DrainAsync();

        Assert.Empty(receiver.Requests);
        var delivery = Assert.Single(await DeliveriesAsync(tenant));
        Assert.Equal(RelayDeliveryStatus.Retrying, delivery.Status);
        Assert.Null(delivery.LastStatus);
        Assert.Contains("Refused", delivery.ResponseExcerpt, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("172.16.0.1", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("::", true)]
    [InlineData("224.0.0.1", true)]
    [InlineData("ff02::1", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("93.184.215.14", false)]
    [InlineData("2606:2800:21f:cb07:6820:80da:af6b:8b2c", false)]
    public void SsrfGuard_Classification(string address, bool forbidden) =>
        Assert.Equal(forbidden, RelaySsrfGuard.IsForbidden(IPAddress.Parse(address)));

    [Theory]
    [InlineData("""{"url":"https://10.0.0.5/in"}""", "url")]
    [InlineData("""{"url":"http://hooks.example.com/in"}""", "url")]
    [InlineData("""{"events":[]}""", "events")]
    [InlineData("""{}""", "url")]
    public async Task UpdateEndpoint_RefusedLikeARegistration_NothingChanged(string patch, string errorKey)
    {
        var (_, client) = await TenantClientAsync("Acme");
        var (id, _) = await CreatedAsync(await CreateEndpointAsync(client, "https://hooks.example.com/in", "*"));

        var response = await client.PatchAsync($"/api/v1/relay/endpoints/{id}", new StringContent(patch, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]![errorKey]);
        var listed = JsonNode.Parse(await client.GetStringAsync("/api/v1/relay/endpoints"))!.AsArray().Single()!;
        Assert.Equal(("https://hooks.example.com/in", "*"), (listed["url"]!.GetValue<string>(), listed["events"]![0]!.GetValue<string>()));
    }

    [Fact]
    public async Task UpdateEndpoint_OfAnotherWebsite_404()
    {
        var (_, a) = await TenantClientAsync("Acme");
        var (_, b) = await TenantClientAsync("Globex");
        var (id, _) = await CreatedAsync(await CreateEndpointAsync(a, "https://hooks.example.com/in", "*"));

        var response = await b.PatchAsync($"/api/v1/relay/endpoints/{id}", new StringContent("""{"url":"https://evil.example.com/in"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("https://hooks.example.com/in", JsonNode.Parse(await a.GetStringAsync("/api/v1/relay/endpoints"))!.AsArray().Single()!["url"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("http://hooks.example.com/crisp")]
    [InlineData("https://user:pass@hooks.example.com/crisp")]
    [InlineData("https://127.0.0.1/crisp")]
    [InlineData("https://10.0.0.5/crisp")]
    [InlineData("https://localhost/crisp")]
    [InlineData("ftp://hooks.example.com/crisp")]
    [InlineData("not a url")]
    [InlineData("https://hooks.example.com/cr\\u0000isp")] // PostgreSQL refuses NUL in text: a 500
    [InlineData("https://hooks.example.com/crisp\\nX-Injected: 1")]
    public async Task Register_RefusesNonHttpsCredentialsAndPrivateUrls(string url)
    {
        var (_, client) = await TenantClientAsync("Acme");
        var response = await CreateEndpointAsync(client, Regex.Unescape(url), "*");
        // A bad URL is a validation error like any other field's (README, Errors): 422 validation-failed.
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("https://integrationhub.dev/problems/validation-failed", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"url":"https://a.example.com/h","events":["*"],"evnts":["x"]}""", HttpStatusCode.UnprocessableEntity, "validation-failed", "evnts")]
    [InlineData("""{"url":"https://a.example.com/h","events":"*"}""", HttpStatusCode.UnprocessableEntity, "validation-failed", "events")]
    [InlineData("""{"url":"https://a.example.com/h","events":["*",5]}""", HttpStatusCode.UnprocessableEntity, "validation-failed", "events[1]")]
    [InlineData("""{"url":5,"events":["*"]}""", HttpStatusCode.UnprocessableEntity, "validation-failed", "url")]
    [InlineData("""["https://a.example.com/h"]""", HttpStatusCode.UnprocessableEntity, "validation-failed", "$")]
    [InlineData("""{"url":"https://a.example.com/h","url":"https://b.example.com/h","events":["*"]}""", HttpStatusCode.BadRequest, "invalid-json", null)]
    [InlineData("""{"url":"https://a.example.com/h",""", HttpStatusCode.BadRequest, "invalid-json", null)]
    public async Task Register_BodyReadLikeTheRestOfTheApi_NothingCreated(string body, HttpStatusCode status, string type, string? errorKey)
    {
        var (_, client) = await TenantClientAsync("Acme");

        var response = await client.PostAsync("/api/v1/relay/endpoints", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(status, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("https://integrationhub.dev/problems/" + type, problem["type"]!.GetValue<string>());
        if (errorKey is not null)
        {
            Assert.NotNull(problem["errors"]![errorKey]);
        }

        Assert.Equal("[]", await client.GetStringAsync("/api/v1/relay/endpoints"));
    }

    [Theory]
    [InlineData("message:send\\u0000")] // PostgreSQL refuses NUL in text: a 500
    [InlineData("message:send\\nsession:*")] // would be stored as two patterns
    public async Task Register_PatternWithControlCharacters_Is422NothingCreated(string pattern)
    {
        var (_, client) = await TenantClientAsync("Acme");

        var response = await CreateEndpointAsync(client, "https://a.example.com/hook", Regex.Unescape(pattern));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!["events"]);
        Assert.Equal("[]", await client.GetStringAsync("/api/v1/relay/endpoints"));
    }

    [Fact]
    public async Task Register_PatternsLongerTogetherThanTheEndpointHolds_Is422NothingCreated()
    {
        var (_, client) = await TenantClientAsync("Acme");
        // 50 patterns of 200 characters each are allowed one by one; together (10,049 characters) they overflowed
        // the 4,000-character column: a 500 on PostgreSQL.
        var patterns = Enumerable.Range(0, 50).Select(i => $"{i:00}:" + new string('x', 197)).ToArray();

        var response = await CreateEndpointAsync(client, "https://a.example.com/hook", patterns);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Contains("4000", problem["errors"]!["events"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("[]", await client.GetStringAsync("/api/v1/relay/endpoints"));

        var fitting = await CreateEndpointAsync(client, "https://a.example.com/hook", patterns.Take(19).ToArray());
        Assert.Equal(HttpStatusCode.Created, fitting.StatusCode);
    }

    [Fact]
    public async Task CrossTenant_KeyOfA_CannotSeeOrChangeEndpointsOfB()
    {
        var (tenantA, clientA) = await TenantClientAsync("A");
        var (tenantB, clientB) = await TenantClientAsync("B");
        var (idB, _) = await CreatedAsync(await CreateEndpointAsync(clientB, "https://b.example.com/hook", "*"));
        var deliveryB = Guid.NewGuid();
        var (scope, db) = OpenScope(tenantB);
        await using (scope)
        {
            db.Add(new RelayDelivery { Id = deliveryB, EndpointId = idB, Event = "message:send", Payload = "{}", WebhookId = "msg_b", Status = RelayDeliveryStatus.Failed, CreatedAt = DateTimeOffset.UtcNow, NextAttemptAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }

        Assert.DoesNotContain(idB.ToString("D"), await clientA.GetStringAsync("/api/v1/relay/endpoints"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await clientA.DeleteAsync($"/api/v1/relay/endpoints/{idB}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await clientA.PostAsync($"/api/v1/relay/endpoints/{idB}/rotate-secret", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await clientA.PostAsync($"/api/v1/relay/endpoints/{idB}/enable", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await clientA.PostAsync($"/api/v1/relay/endpoints/{idB}/disable", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await clientA.GetAsync($"/api/v1/relay/endpoints/{idB}/deliveries")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await clientA.PostAsync($"/api/v1/relay/deliveries/{deliveryB}/replay", null)).StatusCode);

        Assert.Single(await DeliveriesAsync(tenantB));
        Assert.Contains(idB.ToString("D"), await clientB.GetStringAsync("/api/v1/relay/endpoints"), StringComparison.Ordinal);
        Assert.Empty(await DeliveriesAsync(tenantA));
    }
}

public sealed class RelayDeliveryTestsOnSqlite(RelayLoopbackFixture fixture) : RelayDeliveryTests(fixture), IClassFixture<RelayLoopbackFixture>;

public sealed class RelayDeliveryTestsOnPostgres(RelayLoopbackPostgresFixture fixture) : RelayDeliveryTests(fixture), IClassFixture<RelayLoopbackPostgresFixture>;

public sealed class RelayGuardTestsOnSqlite(SqliteHubFixture fixture) : RelayGuardTests(fixture), IClassFixture<SqliteHubFixture>;

[Collection(PostgresCollection.Name)]
public sealed class RelayGuardTestsOnPostgres(PostgresHubFixture fixture) : RelayGuardTests(fixture);
