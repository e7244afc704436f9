using IntegrationHub.Web.Features.Delivery;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Tests.Delivery;

/// <summary>A tenant whose delivery state row cannot be created does not stop the dispatcher for the others.</summary>
public sealed class DeliveryStateRefusedTests : IAsyncLifetime
{
    private DeliveryHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await DeliveryHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task OneTenantsStateRowRefused_TheOtherTenantsCallsAreStillSent()
    {
        var blocked = await _harness.TenantAsync("Blocked", budgetPerMinute: 600);
        var open = await _harness.TenantAsync("Open", budgetPerMinute: 600);
        await using (var scope = _harness.Scope(blocked))
        {
            // A constraint failure that is not a unique one, for the blocked tenant only (EF keeps SQLite GUIDs as text).
            var refuse = $"CREATE TRIGGER refuse_state BEFORE INSERT ON tenant_delivery_state WHEN upper(NEW.TenantId) = '{blocked.ToString("D").ToUpperInvariant()}' "
                + "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;";
            await scope.Db.Database.ExecuteSqlRawAsync(refuse);
        }

        foreach (var tenant in new[] { blocked, open })
        {
            await _harness.EnqueueAsync(tenant, [(CrispCallKinds.PeopleDataMerge, new { email = "pat@example.com", data = new { plan = "pro" } }, "pat@example.com")]);
        }

        await _harness.WaitUntilAsync(open, DeliveryHarness.AllSent, TimeSpan.FromSeconds(60));

        Assert.Null(await _harness.StateAsync(blocked));
        Assert.All(await _harness.CallsAsync(blocked), c => Assert.Equal(CrispCallStatus.Queued, c.Status));
    }
}
