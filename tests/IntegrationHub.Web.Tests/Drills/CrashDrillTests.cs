using IntegrationHub.Drills;
using Xunit.Abstractions;

namespace IntegrationHub.Web.Tests.Drills;

/// <summary>
/// The crash drill, short: 3 SIGKILLs of the hub process at random moments under load (the long version,
/// <c>bench/drills/run.sh crash</c>, does 20 or more).
/// </summary>
[Collection(DrillCollection.Name)]
public sealed class CrashDrillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task KilledAtRandomMomentsUnderLoad_EveryAcceptedEventStoredAndDelivered_NothingSentTwiceOnceMarkedSent()
    {
        var report = await CrashDrill.RunAsync(DrillTestSupport.ShortOptions, new TestOutputWriter(output));

        DrillTestSupport.AssertHeld(report,
            "the load was accepted between kills",
            "every 202 is stored",
            "every call sent",
            "every sent call reached Crisp",
            "no call marked sent was sent again",
            "repeats only for calls in flight at a kill");
    }
}
