using System.Text.Json.Nodes;

namespace IntegrationHub.Crisp.Tests.Contract;

/// <summary>
/// Rate limits, quota and injected faults. The quota and the faults are global knobs: in-process this class has a
/// simulator of its own; against an external simulator it runs while no other class runs. Each test puts the knobs
/// back as it found them.
/// </summary>
public sealed class LimitsContractTests(WholeSimulatorFixture sim) : IClassFixture<WholeSimulatorFixture>, IAsyncLifetime
{
    private JsonObject _quota = null!;
    private JsonObject _faults = null!;

    public async Task InitializeAsync()
    {
        _quota = await sim.GetQuotaAsync();
        _faults = await sim.GetFaultsAsync();
    }

    public async Task DisposeAsync()
    {
        await sim.SetFaultsAsync(_faults);
        _quota.Remove("day");
        await sim.SetQuotaAsync(_quota);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(420)]
    public async Task WebsiteBudgetSpent_RateLimitedWithRetryAfter_NoRetry(int status)
    {
        var websiteId = await sim.InstallWebsiteAsync();
        await sim.SetLimitsAsync(websiteId, requestsPerMinute: 1, status, retryAfterSeconds: 17);
        await sim.Client.People.ListProfilesAsync(websiteId, 1);

        var ex = await Assert.ThrowsAsync<CrispRateLimitedException>(() => sim.Client.People.ListProfilesAsync(websiteId, 1));

        Assert.Equal(status, ex.StatusCode);
        Assert.Equal("rate_limited", ex.Reason);
        Assert.Equal(TimeSpan.FromSeconds(17), ex.RetryAfter);
        var journal = await sim.JournalAsync(websiteId);
        Assert.Equal(2, journal.Count);
        Assert.Equal(status, journal[1].Status);
    }

    [Fact]
    public async Task WebsiteBudgetSpent_HeadRoute_RateLimited()
    {
        var websiteId = await sim.InstallWebsiteAsync();
        await sim.SetLimitsAsync(websiteId, requestsPerMinute: 1, 429, retryAfterSeconds: null);
        await sim.Client.Campaigns.ListAsync(websiteId, 1);

        var ex = await Assert.ThrowsAsync<CrispRateLimitedException>(() => sim.Client.People.ProfileExistsAsync(websiteId, "x@example.com"));

        Assert.Null(ex.RetryAfter);
        Assert.Equal(2, (await sim.JournalAsync(websiteId)).Count);
    }

    [Fact]
    public async Task DailyQuotaSpent_QuotaLimitExceeded_NoRetry()
    {
        await sim.SetQuotaAsync(new JsonObject { ["daily_limit"] = 5, ["used"] = 5, ["status"] = 429, ["retry_after_seconds"] = 3600 });
        var mark = await sim.JournalSequenceAsync();

        var ex = await Assert.ThrowsAsync<CrispRateLimitedException>(() => sim.Client.Plugin.GetAccountAsync());

        await sim.SetQuotaAsync(new JsonObject { ["daily_limit"] = 0, ["used"] = 0 });
        Assert.Equal(429, ex.StatusCode);
        Assert.Equal("quota_limit_exceeded", ex.Reason);
        Assert.Equal(TimeSpan.FromHours(1), ex.RetryAfter);
        Assert.Single(await sim.JournalAsync(afterSequence: mark));
    }

    [Fact]
    public async Task ServerErrors_RetriedExactlyOnce_ThenApiException()
    {
        var websiteId = await sim.InstallWebsiteAsync();
        await sim.SetFaultsAsync(new JsonObject { ["error_rate"] = 1, ["error_status"] = 503, ["website_id"] = websiteId });

        var ex = await Assert.ThrowsAsync<CrispApiException>(() => sim.Client.Conversations.CreateAsync(websiteId));

        await sim.SetFaultsAsync(new JsonObject { ["error_rate"] = 0 });
        Assert.Equal(503, ex.StatusCode);
        Assert.Equal("service_unavailable", ex.Reason);
        Assert.Equal(2, (await sim.JournalAsync(websiteId)).Count);
    }

    [Fact]
    public async Task DroppedConnections_RetriedOnce_ThenTransportException()
    {
        var websiteId = await sim.InstallWebsiteAsync();
        await sim.SetFaultsAsync(new JsonObject { ["drop_rate"] = 1, ["website_id"] = websiteId });

        var ex = await Assert.ThrowsAsync<CrispTransportException>(() => sim.Client.People.ListProfilesAsync(websiteId, 1));

        await sim.SetFaultsAsync(new JsonObject { ["drop_rate"] = 0 });
        Assert.False(ex.IsTimeout);
        Assert.Equal(2, (await sim.JournalAsync(websiteId)).Count(e => e.Reason == "connection_dropped"));
    }

    [Fact]
    public async Task SlowAnswers_TimeoutOutcome()
    {
        var websiteId = await sim.InstallWebsiteAsync();
        await sim.SetFaultsAsync(new JsonObject { ["latency_ms"] = 3000, ["website_id"] = websiteId });
        var impatient = new CrispSimulatorClientFactory(sim.ApiBaseUrl, sim.Options, TimeSpan.FromMilliseconds(300));

        try
        {
            var ex = await Assert.ThrowsAsync<CrispTransportException>(
                () => impatient.Client.Conversations.SendMessageAsync(websiteId, "session_x", CrispMessageInput.Text("hi")));

            Assert.True(ex.IsTimeout);
        }
        finally
        {
            await sim.SetFaultsAsync(new JsonObject { ["latency_ms"] = 0 });
            await impatient.DisposeAsync();
        }
    }
}
