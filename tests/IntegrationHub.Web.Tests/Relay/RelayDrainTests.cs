using System.Net;
using System.Text.Json.Nodes;
using IntegrationHub.Web.Features.Credentials;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Features.Relay;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.Relay;

/// <summary>Per-attempt history (API, page, replay, redaction) and database claims (parallel drains, expired leases).</summary>
public abstract partial class RelayDeliveryTests
{
    [Fact]
    public async Task Attempts_EveryTryKept_ShownInApiAndPage_KeptThroughReplay()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        receiver.Status = 500;
        receiver.Body = "first try failed";
        var (tenant, client) = await TenantClientAsync("Acme");
        await CreatedAsync(await CreateEndpointAsync(client, receiver.BaseUrl, "*"));
        await DeliverHookAsync(tenant, "message:send");
        await DrainAsync();
        await MakeDueAsync(tenant);
        receiver.Status = 200;
        receiver.Body = "second try accepted";
        Assert.Equal(1, await DrainAsync());

        var original = Assert.Single(await DeliveriesAsync(tenant));
        var detail = JsonNode.Parse(await client.GetStringAsync($"/api/v1/relay/deliveries/{original.Id}"))!;
        Assert.Equal("sent", detail["delivery"]!["status"]!.GetValue<string>());
        var attempts = detail["attempts"]!.AsArray();
        Assert.Equal([1, 2], attempts.Select(a => a!["number"]!.GetValue<int>()));
        Assert.Equal([500, 200], attempts.Select(a => a!["status_code"]!.GetValue<int>()));
        Assert.Equal(["first try failed", "second try accepted"], attempts.Select(a => a!["response_excerpt"]!.GetValue<string>()));
        Assert.All(attempts, a => Assert.True(a!["latency_ms"]!.GetValue<long>() >= 0));

        var replay = await client.PostAsync($"/api/v1/relay/deliveries/{original.Id}/replay", null);
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        var replayId = JsonNode.Parse(await replay.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        receiver.Body = "replay accepted";
        Assert.Equal(1, await DrainAsync());

        var originalAfter = JsonNode.Parse(await client.GetStringAsync($"/api/v1/relay/deliveries/{original.Id}"))!;
        Assert.Equal(2, originalAfter["attempts"]!.AsArray().Count);
        var replayed = JsonNode.Parse(await client.GetStringAsync($"/api/v1/relay/deliveries/{replayId}"))!;
        Assert.Equal(original.Id.ToString("D"), replayed["delivery"]!["replay_of_id"]!.GetValue<string>());
        Assert.Equal("replay accepted", Assert.Single(replayed["attempts"]!.AsArray())!["response_excerpt"]!.GetValue<string>());

        await Data.UserAsync("viewer@acme.example", tenant, TenantRole.Viewer);
        var browser = Hub.CreateBrowser();
        await Browser.SignInAsync(browser, "viewer@acme.example");
        var page = await browser.GetStringAsync($"/t/{tenant:D}/relay/deliveries/{original.Id}");
        Assert.Contains("first try failed", page, StringComparison.Ordinal);
        Assert.Contains("second try accepted", page, StringComparison.Ordinal);
        Assert.Equal(2, page.Split("class=\"attempt\"").Length - 1);
        Assert.Contains($"/t/{tenant:D}/relay/deliveries/{original.Id}", await browser.GetStringAsync($"/t/{tenant:D}/relay"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_ToADisabledEndpoint_Is422SayingSo_NothingQueued()
    {
        // Accepted, the replay failed at once ("endpoint disabled") after the caller had been told 202.
        await using var receiver = await LoopbackReceiver.StartAsync();
        var (tenant, client) = await TenantClientAsync("Acme");
        var (endpoint, _) = await CreatedAsync(await CreateEndpointAsync(client, receiver.BaseUrl, "*"));
        await DeliverHookAsync(tenant, "message:send");
        Assert.Equal(1, await DrainAsync());
        var original = Assert.Single(await DeliveriesAsync(tenant));
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            await db.Set<RelayEndpoint>().Where(e => e.Id == endpoint).ExecuteUpdateAsync(u => u.SetProperty(e => e.Enabled, false));
        }

        var replay = await client.PostAsync($"/api/v1/relay/deliveries/{original.Id}/replay", null);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, replay.StatusCode);
        var problem = JsonNode.Parse(await replay.Content.ReadAsStringAsync())!;
        Assert.Contains("disabled", problem["errors"]!["endpoint"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Single(await DeliveriesAsync(tenant));
    }

    [Fact]
    public async Task AttemptExcerpt_EchoedSecretAndUrlToken_Redacted()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        receiver.Status = 400;
        var (tenant, client) = await TenantClientAsync("Acme");
        var (_, secret) = await CreatedAsync(await CreateEndpointAsync(client, receiver.BaseUrl + "/hook?token=tok_supersecret123", "*"));
        receiver.Body = $"bad request: you sent {secret}, key {secret["whsec_".Length..]}, token tok_supersecret123";

        await DeliverHookAsync(tenant, "message:send");
        await DrainAsync();

        var delivery = Assert.Single(await DeliveriesAsync(tenant));
        var detail = await client.GetStringAsync($"/api/v1/relay/deliveries/{delivery.Id}");
        var excerpt = JsonNode.Parse(detail)!["attempts"]![0]!["response_excerpt"]!.GetValue<string>();
        Assert.StartsWith("bad request: you sent [redacted], key [redacted], token [redacted]", excerpt, StringComparison.Ordinal);
        foreach (var text in new[] { detail, delivery.ResponseExcerpt! })
        {
            Assert.DoesNotContain(secret["whsec_".Length..], text, StringComparison.Ordinal);
            Assert.DoesNotContain("tok_supersecret123", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ReceiverAnswersBinaryBody_OutcomeRecordedOnce_ExcerptStorable()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        receiver.Status = 200;
        // NUL and other control bytes (a gzipped answer has them), and an emoji across the excerpt's 500-character cut.
        receiver.Body = "ok\0\u0001" + new string('x', 495) + "\U0001F600 and more";
        var (tenant, client) = await TenantClientAsync("Acme");
        await CreatedAsync(await CreateEndpointAsync(client, receiver.BaseUrl, "*"));
        await DeliverHookAsync(tenant, "message:send");

        Assert.Equal(1, await DrainAsync());

        var delivery = Assert.Single(await DeliveriesAsync(tenant));
        Assert.Equal((RelayDeliveryStatus.Sent, 1, 200), (delivery.Status, delivery.Attempts, delivery.LastStatus));
        var excerpt = delivery.ResponseExcerpt!;
        Assert.StartsWith("ok\uFFFD\uFFFDxxx", excerpt, StringComparison.Ordinal);
        Assert.Equal(499, excerpt.Length);
        Assert.Single(receiver.Requests);
        var detail = JsonNode.Parse(await client.GetStringAsync($"/api/v1/relay/deliveries/{delivery.Id}"))!;
        Assert.Equal(excerpt, Assert.Single(detail["attempts"]!.AsArray())!["response_excerpt"]!.GetValue<string>());
    }

    [Fact]
    public async Task Receiver200WhoseBodyTricklesPastTheTimeout_Sent_NotRetried()
    {
        // The 200 arrived at once; the body kept coming past Relay:Timeout (5 s here). The attempt was recorded as a
        // timeout and retried, so the receiver got the event again, and an endpoint answering so was disabled in the end.
        await using var receiver = await LoopbackReceiver.StartAsync();
        receiver.Status = 200;
        receiver.TrickleBodyFor = TimeSpan.FromSeconds(20);
        var (tenant, client) = await TenantClientAsync("Acme");
        await CreatedAsync(await CreateEndpointAsync(client, receiver.BaseUrl, "*"));
        await DeliverHookAsync(tenant, "message:send");

        Assert.Equal(1, await DrainAsync());

        var delivery = Assert.Single(await DeliveriesAsync(tenant));
        Assert.Equal((RelayDeliveryStatus.Sent, 1, 200), (delivery.Status, delivery.Attempts, delivery.LastStatus));
        Assert.StartsWith("[body not finished within the timeout] x", delivery.ResponseExcerpt, StringComparison.Ordinal);
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task EndpointWithoutSigningSecret_NothingSentUnsigned_AttemptSaysWhy()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        var (tenant, client) = await TenantClientAsync("Acme");
        var (endpoint, _) = await CreatedAsync(await CreateEndpointAsync(client, receiver.BaseUrl, "*"));
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            await scope.ServiceProvider.GetRequiredService<TenantSecrets>().RemoveAsync(RelayService.SecretName(endpoint), CancellationToken.None);
            await db.SaveChangesAsync();
        }

        await DeliverHookAsync(tenant, "message:send");
        Assert.Equal(1, await DrainAsync());

        Assert.Empty(receiver.Requests);
        var delivery = Assert.Single(await DeliveriesAsync(tenant));
        Assert.Equal((RelayDeliveryStatus.Retrying, 1, (int?)null), (delivery.Status, delivery.Attempts, delivery.LastStatus));
        Assert.Contains("signing secret", delivery.ResponseExcerpt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoDrainsInParallel_EveryDeliverySentExactlyOnce()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        receiver.Delay = TimeSpan.FromMilliseconds(60); // keeps each send in flight while the other drain looks at the row
        var (tenant, client) = await TenantClientAsync("Acme");
        var (endpoint, _) = await CreatedAsync(await CreateEndpointAsync(client, receiver.BaseUrl, "*"));
        var ids = await SeedDeliveriesAsync(tenant, endpoint, 12);

        var drained = await Task.WhenAll(Task.Run(DrainAsync), Task.Run(DrainAsync));

        // Every row tried by exactly one of the two drains, sent, and no webhook-id reached the receiver twice. (Up to
        // two unsent rows used to be allowed as "loopback resets"; they were the receiver closing every connection
        // after an invalid empty write to its 204s.)
        Assert.Equal(12, drained.Sum());
        var deliveries = await DeliveriesAsync(tenant);
        Assert.All(deliveries, d => Assert.Equal((1, (string?)null), (d.Attempts, d.ClaimedBy)));
        var received = receiver.Requests.Select(r => r.Headers["webhook-id"]).ToList();
        Assert.Equal(received.Count, received.Distinct().Count());
        Assert.Equal(deliveries.Where(d => d.Status == RelayDeliveryStatus.Sent).Select(d => d.WebhookId).Order(), received.Order());
        Assert.Equal(12, received.Count);
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            var attempts = await db.Set<RelayDeliveryAttempt>().ToListAsync();
            Assert.Equal(ids.Order(), attempts.Select(a => a.DeliveryId).Order());
        }
    }

    [Fact]
    public async Task ExpiredLease_ClaimedAgainAndSent_LiveLeaseLeftAlone()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        var (tenant, client) = await TenantClientAsync("Acme");
        var (endpoint, _) = await CreatedAsync(await CreateEndpointAsync(client, receiver.BaseUrl, "*"));
        var ids = await SeedDeliveriesAsync(tenant, endpoint, 2);
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            // One drain died mid-send a while ago; another is sending right now.
            await db.Set<RelayDelivery>().Where(d => d.Id == ids[0]).ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, RelayDeliveryStatus.Sending)
                .SetProperty(d => d.ClaimedBy, "dead-node").SetProperty(d => d.LeaseUntil, DateTimeOffset.UtcNow.AddMinutes(-1)));
            await db.Set<RelayDelivery>().Where(d => d.Id == ids[1]).ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, RelayDeliveryStatus.Sending)
                .SetProperty(d => d.ClaimedBy, "busy-node").SetProperty(d => d.LeaseUntil, DateTimeOffset.UtcNow.AddMinutes(5)));
        }

        Assert.Equal(1, await DrainAsync());

        var deliveries = (await DeliveriesAsync(tenant)).ToDictionary(d => d.Id);
        Assert.Equal(deliveries[ids[0]].WebhookId, Assert.Single(receiver.Requests).Headers["webhook-id"]);
        Assert.Equal(RelayDeliveryStatus.Sent, deliveries[ids[0]].Status);
        Assert.Equal((RelayDeliveryStatus.Sending, "busy-node"), (deliveries[ids[1]].Status, deliveries[ids[1]].ClaimedBy));
    }

    private async Task MakeDueAsync(Guid tenant)
    {
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            await db.Set<RelayDelivery>().ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAt, DateTimeOffset.UtcNow.AddSeconds(-1)));
        }
    }

    private async Task<List<Guid>> SeedDeliveriesAsync(Guid tenant, Guid endpoint, int count)
    {
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            var now = DateTimeOffset.UtcNow.AddSeconds(-1);
            var rows = Enumerable.Range(0, count).Select(i => new RelayDelivery
            {
                Id = Guid.NewGuid(), EndpointId = endpoint, Event = "message:send", Payload = $$"""{"n":{{i}}}""",
                WebhookId = RelaySignature.NewWebhookId(), CreatedAt = now, NextAttemptAt = now,
            }).ToList();
            db.AddRange(rows);
            await db.SaveChangesAsync();
            return rows.Select(r => r.Id).ToList();
        }
    }
}
