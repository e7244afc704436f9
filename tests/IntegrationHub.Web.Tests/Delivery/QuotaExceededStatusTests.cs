using IntegrationHub.Web.Features.Delivery;

namespace IntegrationHub.Web.Tests.Delivery;

/// <summary>
/// Crisp's reference lists <c>quota_limit_exceeded</c> under HTTP 423 (its rate-limit guide says 429 or 420). Whatever
/// the status, a spent quota makes calls wait for it: they used to be dead-lettered at once on a 423, as a refusal
/// that can never succeed.
/// </summary>
public sealed class QuotaExceededStatusTests : IAsyncLifetime
{
    private DeliveryHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await DeliveryHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task QuotaExceededAs423_CallsWaitForTheQuota_NoneDeadLettered()
    {
        var tenant = await _harness.TenantAsync("Shop", budgetPerMinute: 600);
        await _harness.PutAsync("quota", new { daily_limit = 2, used = 0, status = 423 });
        var website = tenant.ToString("D");
        await _harness.EnqueueAsync(tenant, Enumerable.Range(0, 4).Select(i =>
            (CrispCallKinds.CampaignDispatch, (object)new { campaign_id = _harness.SimAdmin.SeedCampaign(website, $"c{i}") }, (string?)null)));

        await _harness.WaitUntilAsync(tenant, calls => calls.All(c => c.Attempts > 0), TimeSpan.FromSeconds(30));

        // The hub's own plugin-tier reads (the install hook's settings read) may take some of the two requests too.
        var calls = await _harness.CallsAsync(tenant);
        Assert.InRange(calls.Count(c => c.Status == CrispCallStatus.Sent), 0, 2);
        Assert.DoesNotContain(calls, c => c.Status == CrispCallStatus.Dead);
        var waiting = calls.Where(c => c.Status != CrispCallStatus.Sent).ToList();
        Assert.InRange(waiting.Count, 2, 4);
        Assert.All(waiting, c => Assert.Equal("quota_limit_exceeded", c.LastReason));
        Assert.All(waiting, c => Assert.True(c.NextAttemptAt > DateTimeOffset.UtcNow, "a call retried inside the spent quota"));
    }
}
