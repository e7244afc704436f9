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

    [Fact]
    public async Task CachedIdOfADeletedProfile_WhileCrispHasANewOne_ThePushIsWrittenToTheNewProfile()
    {
        // An operator deleted the contact in Crisp and the visitor came back (a new profile, a new id) without the hub
        // hearing of it: its cached id answers people_not_found and adding the profile answers people_exists.
        var tenant = await _harness.TenantAsync("Shop", budgetPerMinute: 600);
        var website = _harness.Sim.FindWebsite(tenant.ToString("D"))!;
        string[] emails = ["back@example.com", "again@example.com", "gone@example.com"];
        lock (_harness.Sim.Sync)
        {
            foreach (var email in emails)
            {
                website.People.Add(new SimPerson { PeopleId = Guid.NewGuid().ToString(), Email = email, Person = new JsonObject { ["nickname"] = "Visitor" }, Segments = ["chat", "old"] });
            }
        }

        await using (var scope = _harness.Scope(tenant))
        {
            foreach (var email in emails)
            {
                scope.Db.Add(new CrispPeopleEntry { TenantId = tenant, Email = email, PeopleId = Guid.NewGuid().ToString(), UpdatedAt = DateTimeOffset.UtcNow });
            }

            await scope.Db.SaveChangesAsync();
        }

        // One batch with a call that needs fewer requests than estimated, so the stale contacts' calls find permits
        // for every request they make.
        await _harness.EnqueueAsync(tenant,
        [
            (CrispCallKinds.SessionDataMerge, new { email = "idle@example.com", data = new { plan = "pro" } }, "idle@example.com"),
            (CrispCallKinds.SessionDataMerge, new { email = "idle2@example.com", data = new { plan = "pro" } }, "idle2@example.com"),
            (CrispCallKinds.PeopleProfileUpsert, new { email = emails[0], nickname = "Back Real", company = new { name = "Globex" }, segments = new[] { "vip" } }, emails[0]),
            (CrispCallKinds.PeopleSegmentsAdd, new { email = emails[1], segments = new[] { "trial" } }, emails[1]),
            (CrispCallKinds.PeopleSegmentsRemove, new { email = emails[2], segments = new[] { "old" } }, emails[2]),
        ]);

        await _harness.WaitUntilAsync(tenant, calls => calls.All(c => c.Status is CrispCallStatus.Sent or CrispCallStatus.Dead), TimeSpan.FromSeconds(60));

        Assert.All(await _harness.CallsAsync(tenant), c => Assert.Equal((CrispCallStatus.Sent, null), (c.Status, c.LastError)));
        SimPerson Person(string email) => Assert.Single(website.People, p => p.Email == email);
        Assert.Equal("Back Real", (string?)Person(emails[0]).Person["nickname"]);
        Assert.Equal("Globex", (string?)Person(emails[0]).Company["name"]);
        Assert.Equal(["chat", "old", "vip"], Person(emails[0]).Segments);
        Assert.Equal(["chat", "old", "trial"], Person(emails[1]).Segments);
        Assert.Equal(["chat"], Person(emails[2]).Segments);
    }
}
