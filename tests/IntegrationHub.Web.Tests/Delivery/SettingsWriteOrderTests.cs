using IntegrationHub.Web.Features.Delivery;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.Delivery;

/// <summary>
/// Settings write-backs carry the whole settings object, so Crisp must end with the last one saved: a newer save
/// waits behind an older one that is being retried, rather than land first and be overwritten by it.
/// </summary>
public sealed class SettingsWriteOrderTests
{
    [Fact]
    public async Task NewerSettingsSave_WhileAnOlderWriteIsRetrying_CrispEndsWithTheNewer()
    {
        await using var harness = await DeliveryHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Delivery:RetryBaseDelay"] = "00:00:02",
            ["Delivery:RetryMaxDelay"] = "00:00:02",
        });
        var tenant = await harness.TenantAsync("Acme");
        await harness.PutAsync("faults", new { error_rate = 1.0, error_status = 503, website_id = tenant.ToString("D") });
        await EnqueueSettingsAsync(harness, tenant, "Older");
        await harness.WaitUntilAsync(tenant, calls => calls.All(c => c.Status == CrispCallStatus.Retrying), TimeSpan.FromSeconds(30));

        await harness.PutAsync("faults", new { error_rate = 0.0, website_id = (string?)null });
        await EnqueueSettingsAsync(harness, tenant, "Newer");
        await harness.WaitUntilAsync(tenant, DeliveryHarness.AllSent, TimeSpan.FromSeconds(30));

        var website = harness.Sim.FindWebsite(tenant.ToString("D"))!;
        lock (harness.Sim.Sync)
        {
            Assert.Equal("Newer", (string?)website.Settings["display_name"]);
        }
    }

    /// <summary>As the settings pages stage it: the kind and the merged settings, no ordering key of their own.</summary>
    private static async Task EnqueueSettingsAsync(DeliveryHarness harness, Guid tenant, string name)
    {
        await using var scope = harness.Scope(tenant);
        scope.Services.GetRequiredService<CrispCallOutbox>().Enqueue(CrispCallKinds.PluginSettingsUpdate, new { settings = new { display_name = name } });
        await scope.Db.SaveChangesAsync();
    }
}
