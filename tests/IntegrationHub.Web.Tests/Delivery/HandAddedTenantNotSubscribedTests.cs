using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.Tenants;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Tests.Delivery;

/// <summary>Crisp answering not_subscribed for a website added by hand never uninstalls it.</summary>
public sealed class HandAddedTenantNotSubscribedTests
{
    [Fact]
    public async Task NotSubscribed_TenantAddedByHand_CallDeadWithTheReasonAndTenantStaysActive()
    {
        await using var harness = await DeliveryHarness.StartAsync();
        // Added by hand only: the plugin is not installed on this website in Crisp (the simulator).
        var tenant = await new TestData(harness.Hub.Services).TenantAsync("Acme");
        await harness.EnqueueAsync(tenant, [(CrispCallKinds.PeopleDataMerge, new { email = "q1@acme.example", data = new { plan = "pro" } }, "q1@acme.example")]);

        await harness.WaitUntilAsync(tenant, calls => calls.All(c => c.Status is CrispCallStatus.Dead or CrispCallStatus.Sent or CrispCallStatus.Paused), TimeSpan.FromSeconds(40));

        var call = Assert.Single(await harness.CallsAsync(tenant));
        Assert.Equal(CrispCallStatus.Dead, call.Status);
        Assert.Equal("not_subscribed", call.LastReason);
        Assert.Contains("added by hand", call.LastError, StringComparison.Ordinal);
        await using var scope = harness.Scope(tenant);
        Assert.Equal(TenantStatus.Active, (await scope.Db.Tenants.AsNoTracking().SingleAsync()).Status);
    }
}
