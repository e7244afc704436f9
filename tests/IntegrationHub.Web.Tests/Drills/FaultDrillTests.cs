using IntegrationHub.Drills;
using Xunit.Abstractions;

namespace IntegrationHub.Web.Tests.Drills;

/// <summary>
/// The fault drill, short: 2 s of each simulator fault under load (the long version, <c>bench/drills/run.sh
/// faults</c>, runs 15 s each).
/// </summary>
[Collection(DrillCollection.Name)]
public sealed class FaultDrillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task SimulatorFaultsUnderLoad_EverythingSentOrDeadLetteredWithAReason_NothingLost()
    {
        var report = await FaultDrill.RunAsync(DrillTestSupport.ShortOptions, new TestOutputWriter(output));

        DrillTestSupport.AssertHeld(report,
            "every fault was injected",
            "every 202 is stored",
            "every call sent or dead-lettered",
            "accepted events' planned calls == sent + dead",
            "every dead letter has a reason",
            "every sent call reached Crisp");
    }
}
