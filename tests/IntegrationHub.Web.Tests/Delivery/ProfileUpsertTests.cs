using System.Text.Json.Nodes;
using IntegrationHub.CrispSimulator.People;
using IntegrationHub.Web.Features.Delivery;

namespace IntegrationHub.Web.Tests.Delivery;

/// <summary>
/// A contact push sends Crisp the profile fields it gave and only those: Crisp's profile update merges what it is
/// sent, so a default filled in for a field left out would overwrite what an operator or an earlier push set.
/// </summary>
public sealed class ProfileUpsertTests : IAsyncLifetime
{
    private DeliveryHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await DeliveryHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task LaterPushes_LeaveOutNicknameOrSendNoSegments_KeepWhatTheProfileHas()
    {
        var tenant = await _harness.TenantAsync("Shop", budgetPerMinute: 600);
        const string email = "jane@example.com";
        await _harness.EnqueueAsync(tenant,
        [
            (CrispCallKinds.PeopleProfileUpsert, new { email, nickname = "Jane Real", segments = new[] { "vip" } }, email),
            (CrispCallKinds.PeopleProfileUpsert, new { email, phone = "+1 555 0100" }, email),
            (CrispCallKinds.PeopleProfileUpsert, new { email, segments = Array.Empty<string>() }, email),
        ]);

        await _harness.WaitUntilAsync(tenant, calls => calls.All(c => c.Status is CrispCallStatus.Sent or CrispCallStatus.Dead), TimeSpan.FromSeconds(60));

        Assert.All(await _harness.CallsAsync(tenant), c => Assert.Equal(CrispCallStatus.Sent, c.Status));
        var person = Assert.Single(_harness.Sim.FindWebsite(tenant.ToString("D"))!.People);
        Assert.Equal("Jane Real", (string?)person.Person["nickname"]);
        Assert.Equal("+1 555 0100", (string?)person.Person["phone"]);
        Assert.Equal(["vip"], person.Segments);
    }

    [Fact]
    public async Task FirstPush_WithoutNickname_CreatesTheProfileNamedAfterTheEmail()
    {
        var tenant = await _harness.TenantAsync("Shop", budgetPerMinute: 600);
        await _harness.EnqueueAsync(tenant, [(CrispCallKinds.PeopleProfileUpsert, new { email = "sam.lee@example.com", phone = "+44 20 7946 0000" }, "sam.lee@example.com")]);

        await _harness.WaitUntilAsync(tenant, calls => calls.All(c => c.Status is CrispCallStatus.Sent or CrispCallStatus.Dead), TimeSpan.FromSeconds(60));

        var person = Assert.Single(_harness.Sim.FindWebsite(tenant.ToString("D"))!.People);
        Assert.Equal("sam.lee", (string?)person.Person["nickname"]);
        Assert.Equal("+44 20 7946 0000", (string?)person.Person["phone"]);
    }

    [Fact]
    public async Task ProfileCrispFilledWithANumericTimezone_IsReadAndItsSegmentsMerged()
    {
        // Crisp fills person.timezone from the visitor's browser; its Node SDK types it as a number (UTC offset in
        // minutes). A profile holding one must stay readable, or every read-merge-write of its segments dies.
        var tenant = await _harness.TenantAsync("Shop", budgetPerMinute: 600);
        const string email = "visitor@example.com";
        var website = _harness.Sim.FindWebsite(tenant.ToString("D"))!;
        lock (_harness.Sim.Sync)
        {
            website.People.Add(new SimPerson
            {
                PeopleId = Guid.NewGuid().ToString(),
                Email = email,
                Person = new JsonObject { ["nickname"] = "Visitor", ["timezone"] = -60 },
                Segments = ["chat"],
            });
        }

        await _harness.EnqueueAsync(tenant,
        [
            (CrispCallKinds.PeopleSegmentsAdd, new { email, segments = new[] { "vip" } }, email),
            (CrispCallKinds.PeopleProfileUpsert, new { email, nickname = "Visitor Real", segments = new[] { "trial" } }, email),
        ]);

        await _harness.WaitUntilAsync(tenant, calls => calls.All(c => c.Status is CrispCallStatus.Sent or CrispCallStatus.Dead), TimeSpan.FromSeconds(60));

        Assert.All(await _harness.CallsAsync(tenant), c => Assert.Equal((CrispCallStatus.Sent, null), (c.Status, c.LastError)));
        var person = Assert.Single(website.People);
        Assert.Equal(["chat", "vip", "trial"], person.Segments);
        Assert.Equal(-60, (int?)person.Person["timezone"]);
    }
}
