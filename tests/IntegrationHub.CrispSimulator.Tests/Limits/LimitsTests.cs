using IntegrationHub.CrispSimulator.Tests.Support;

namespace IntegrationHub.CrispSimulator.Tests.Limits;

/// <summary>Budgets and faults; quota and faults are global knobs, so this class owns its host and resets it.</summary>
public sealed class LimitsTests(SimulatorHost host) : IClassFixture<SimulatorHost>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        using var admin = host.Admin();
        await admin.SendAsync(HttpMethod.Post, "_sim/reset");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task WebsiteBudget_Exceeded_Returns429WithEnvelopeAndRetryAfter()
    {
        var websiteId = await host.InstallWebsiteAsync();
        var otherId = await host.InstallWebsiteAsync();
        using var admin = host.Admin();
        using var client = host.Plugin();
        var limits = await admin.SendAsync(HttpMethod.Put, $"_sim/websites/{websiteId}/limits", new { requests_per_minute = 3, retry_after_seconds = 7 });
        Assert.Equal(200, limits.Status);

        var statuses = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await client.GetAsync($"v1/website/{websiteId}/people/profiles/1")).Status);
        }

        var refused = await client.GetAsync($"v1/website/{websiteId}/people/profiles/1");
        Assert.Equal([206, 206, 206, 429, 429], statuses);
        Assert.Equal("rate_limited", refused.Reason);
        Assert.True(refused.Error);
        Assert.Equal(TimeSpan.FromSeconds(7), refused.RetryAfter);
        Assert.Equal(206, (await client.GetAsync($"v1/website/{otherId}/people/profiles/1")).Status);
    }

    [Fact]
    public async Task WebsiteBudget_WithStatus420_Returns420()
    {
        var websiteId = await host.InstallWebsiteAsync();
        using var admin = host.Admin();
        using var client = host.Plugin();
        await admin.SendAsync(HttpMethod.Put, $"_sim/websites/{websiteId}/limits", new { requests_per_minute = 1, status = 420 });

        Assert.Equal(206, (await client.GetAsync($"v1/website/{websiteId}/people/profiles/1")).Status);
        var refused = await client.GetAsync($"v1/website/{websiteId}/people/profiles/1");

        Assert.Equal(420, refused.Status);
        Assert.Equal("rate_limited", refused.Reason);
        Assert.Null(refused.RetryAfter);
        Assert.Equal(400, (await admin.SendAsync(HttpMethod.Put, $"_sim/websites/{websiteId}/limits", new { status = 418 })).Status);
    }

    [Fact]
    public async Task DailyQuota_Exhausted_Returns429QuotaLimitExceeded()
    {
        using var admin = host.Admin();
        using var client = host.Plugin();
        var set = await admin.SendAsync(HttpMethod.Put, "_sim/quota", new { daily_limit = 2, used = 0 });
        Assert.Equal(200, set.Status);

        var first = await client.GetAsync("v1/plugin/connect/account");
        var second = await client.GetAsync("v1/plugin/connect/account");
        var third = await client.GetAsync("v1/plugin/connect/account");
        var quota = await admin.GetAsync("_sim/quota");

        Assert.Equal(200, first.Status);
        Assert.Equal(200, second.Status);
        Assert.Equal(429, third.Status);
        Assert.Equal("quota_limit_exceeded", third.Reason);
        Assert.Equal(2, quota.Data!["used"]!.GetValue<int>());

        await admin.SendAsync(HttpMethod.Put, "_sim/quota", new { daily_limit = 0 });
        Assert.Equal(200, (await client.GetAsync("v1/plugin/connect/account")).Status);
    }

    [Fact]
    public async Task Faults_ErrorRateOne_Returns5xxEnvelope()
    {
        var websiteId = await host.InstallWebsiteAsync();
        using var admin = host.Admin();
        using var client = host.Plugin();
        await admin.SendAsync(HttpMethod.Put, "_sim/faults", new { error_rate = 1.0, error_status = 502, website_id = websiteId });

        var faulted = await client.GetAsync($"v1/website/{websiteId}/people/profiles/1");
        var unaffected = await client.GetAsync("v1/plugin/connect/account");

        Assert.Equal(502, faulted.Status);
        Assert.True(faulted.Error);
        Assert.Equal("internal_error", faulted.Reason);
        Assert.Equal(200, unaffected.Status);

        await admin.SendAsync(HttpMethod.Put, "_sim/faults", new { error_rate = 0.0, website_id = (string?)null });
        Assert.Equal(206, (await client.GetAsync($"v1/website/{websiteId}/people/profiles/1")).Status);
    }

    [Fact]
    public async Task Faults_DropRateOne_AbortsConnectionAndJournalsIt()
    {
        var websiteId = await host.InstallWebsiteAsync();
        using var admin = host.Admin();
        using var client = host.Plugin();
        await admin.SendAsync(HttpMethod.Put, "_sim/faults", new { drop_rate = 1.0, website_id = websiteId });

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync($"v1/website/{websiteId}/people/profiles/1"));

        await admin.SendAsync(HttpMethod.Put, "_sim/faults", new { drop_rate = 0.0 });
        var entries = host.State.GetJournal(websiteId);
        Assert.NotEmpty(entries);
        Assert.All(entries, entry => Assert.Equal((0, "connection_dropped"), (entry.Status, entry.Reason)));
    }

    [Fact]
    public async Task Faults_Latency_DelaysAnswer()
    {
        var websiteId = await host.InstallWebsiteAsync();
        using var admin = host.Admin();
        using var client = host.Plugin();
        await admin.SendAsync(HttpMethod.Put, "_sim/faults", new { latency_ms = 300, website_id = websiteId });

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var response = await client.GetAsync($"v1/website/{websiteId}/people/profiles/1");
        watch.Stop();

        await admin.SendAsync(HttpMethod.Put, "_sim/faults", new { latency_ms = 0 });
        Assert.Equal(206, response.Status);
        Assert.True(watch.ElapsedMilliseconds >= 280, $"took {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Faults_WithInvalidKnobs_Returns400()
    {
        using var admin = host.Admin();
        Assert.Equal(400, (await admin.SendAsync(HttpMethod.Put, "_sim/faults", new { error_rate = 2 })).Status);
        Assert.Equal(400, (await admin.SendAsync(HttpMethod.Put, "_sim/faults", new { error_status = 404 })).Status);
        Assert.Equal(400, (await admin.SendRawAsync(HttpMethod.Put, "_sim/faults", "{\"latency_ms\":\"slow\"}")).Status);
    }
}
