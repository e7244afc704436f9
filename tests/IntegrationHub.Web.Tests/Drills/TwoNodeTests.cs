using IntegrationHub.Drills;
using Xunit.Abstractions;

namespace IntegrationHub.Web.Tests.Drills;

/// <summary>
/// Scale-out: two hub processes on one PostgreSQL database (Hangfire's PostgreSQL storage, both running workers)
/// and one simulator (<see cref="TwoNodeDrill"/>; <c>bench/drills/run.sh two-nodes</c> runs the same).
/// </summary>
[Collection(DrillCollection.Name)]
public sealed class TwoNodeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task EventsPostedToBothNodes_DeliveredExactlyOnce_BudgetsHoldAcrossNodes_SurvivorFinishesAfterAKill()
    {
        var report = await TwoNodeDrill.RunAsync(DrillTestSupport.ShortOptions, new TestOutputWriter(output), eventsPerTenant: 24);

        DrillTestSupport.AssertHeld(report,
            "phase 1: every event accepted",
            "every call delivered exactly once",
            "per-tenant budget held in every window",
            "both nodes ran delivery jobs",
            "the kill landed mid-drain",
            "node B alone finished everything",
            "repeats only for calls in flight at a kill",
            "no call marked sent was sent again");
    }
}
