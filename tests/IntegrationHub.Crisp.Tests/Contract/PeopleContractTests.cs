using System.Text.Json.Nodes;

namespace IntegrationHub.Crisp.Tests.Contract;

public sealed class PeopleContractTests(CrispSimulatorFixture sim) : IClassFixture<CrispSimulatorFixture>
{
    [Fact]
    public async Task Profile_AddGetExistsUpdateDelete()
    {
        var websiteId = await sim.InstallWebsiteAsync();
        var people = sim.Client.People;

        var peopleId = await people.AddProfileAsync(websiteId, new CrispPeopleProfileInput
        {
            Email = "ann@example.com",
            Person = new CrispPerson { Nickname = "Ann", Phone = "+33 1 23 45 67 89" },
            Segments = ["vip"],
        });

        Assert.False(string.IsNullOrEmpty(peopleId));
        Assert.True(await people.ProfileExistsAsync(websiteId, peopleId));
        Assert.True(await people.ProfileExistsAsync(websiteId, "ann@example.com"));

        var profile = await people.GetProfileAsync(websiteId, peopleId);
        Assert.Equal(peopleId, profile.PeopleId);
        Assert.Equal("ann@example.com", profile.Email);
        Assert.Equal("Ann", profile.Person!.Nickname);
        Assert.Equal(["vip"], profile.Segments);
        Assert.NotNull(profile.CreatedAt);

        var byEmail = await people.GetProfileAsync(websiteId, "ann@example.com");
        Assert.Equal(peopleId, byEmail.PeopleId);

        await people.UpdateProfileAsync(websiteId, peopleId, new CrispPeopleProfileInput { Person = new CrispPerson { Nickname = "Ann B." }, Notepad = "called" });
        var updated = await people.GetProfileAsync(websiteId, peopleId);
        Assert.Equal("Ann B.", updated.Person!.Nickname);
        Assert.Equal("+33 1 23 45 67 89", updated.Person.Phone);
        Assert.Equal("called", updated.Notepad);
        Assert.Equal("ann@example.com", updated.Email);

        await people.DeleteProfileAsync(websiteId, peopleId);
        Assert.False(await people.ProfileExistsAsync(websiteId, peopleId));
        var gone = await Assert.ThrowsAsync<CrispApiException>(() => people.DeleteProfileAsync(websiteId, peopleId));
        Assert.Equal("people_not_found", gone.Reason);
    }

    [Fact]
    public async Task Profile_EmailWithPlusAsPeopleId_ResolvesThroughTheEscapedSegment()
    {
        var websiteId = await sim.InstallWebsiteAsync();
        var peopleId = await sim.Client.People.AddProfileAsync(websiteId, new CrispPeopleProfileInput { Email = "jane+vip@example.com" });

        Assert.Equal(peopleId, (await sim.Client.People.GetProfileAsync(websiteId, "jane+vip@example.com")).PeopleId);
        Assert.False(await sim.Client.People.ProfileExistsAsync(websiteId, "jane vip@example.com"));
    }

    [Fact]
    public async Task Profile_EmailWithSlashOrPercentAsPeopleId_ResolvesToThatProfileOnly()
    {
        var websiteId = await sim.InstallWebsiteAsync();
        var people = sim.Client.People;
        var slash = await people.AddProfileAsync(websiteId, new CrispPeopleProfileInput { Email = "sales/emea@example.com" });
        var percent = await people.AddProfileAsync(websiteId, new CrispPeopleProfileInput { Email = "sales%2Femea@example.com" });

        // The client escapes each as one segment ("%2F" and "%252F"); Crisp reads each back as the address it was given.
        Assert.Equal(slash, (await people.GetProfileAsync(websiteId, "sales/emea@example.com")).PeopleId);
        Assert.Equal(percent, (await people.GetProfileAsync(websiteId, "sales%2Femea@example.com")).PeopleId);
        await people.UpdateDataAsync(websiteId, "sales/emea@example.com", new JsonObject { ["plan"] = "pro" });
        Assert.Equal("pro", (await people.GetDataAsync(websiteId, slash))["plan"]?.ToString());
        Assert.True(await people.ProfileExistsAsync(websiteId, "sales/emea@example.com"));
    }

    [Fact]
    public async Task AddProfile_ExistingEmail_PeopleExists()
    {
        var websiteId = await sim.InstallWebsiteAsync();
        await sim.Client.People.AddProfileAsync(websiteId, new CrispPeopleProfileInput { Email = "dup@example.com" });

        var ex = await Assert.ThrowsAsync<CrispApiException>(
            () => sim.Client.People.AddProfileAsync(websiteId, new CrispPeopleProfileInput { Email = "DUP@example.com" }));

        Assert.Equal("people_exists", ex.Reason);
        Assert.Equal(409, ex.StatusCode);
    }

    [Fact]
    public async Task GetProfile_Unknown_PeopleNotFound()
    {
        var websiteId = await sim.InstallWebsiteAsync();

        var ex = await Assert.ThrowsAsync<CrispApiException>(() => sim.Client.People.GetProfileAsync(websiteId, "nobody@example.com"));

        Assert.Equal(404, ex.StatusCode);
        Assert.Equal("people_not_found", ex.Reason);
    }

    [Fact]
    public async Task FindByEmail_ExactMatchOnly_AndListProfilesSearches()
    {
        var websiteId = await sim.InstallWebsiteAsync();
        var people = sim.Client.People;
        await people.AddProfileAsync(websiteId, new CrispPeopleProfileInput { Email = "bob@example.com", Person = new CrispPerson { Nickname = "Bob" } });
        var robert = await people.AddProfileAsync(websiteId, new CrispPeopleProfileInput { Email = "rob@example.com" });
        await people.AddProfileAsync(websiteId, new CrispPeopleProfileInput { Email = "other@example.org" });

        var found = await people.FindByEmailAsync(websiteId, "ROB@example.com");
        Assert.Equal(robert, found!.PeopleId);
        Assert.Null(await people.FindByEmailAsync(websiteId, "ob@example.com"));
        Assert.Null(await people.FindByEmailAsync(websiteId, "missing@example.com"));

        var search = await people.ListProfilesAsync(websiteId, 1, "example.com");
        Assert.Equal(2, search.Count);
        Assert.Equal(3, (await people.ListProfilesAsync(websiteId, 1)).Count);
        Assert.Empty(await people.ListProfilesAsync(websiteId, 2));
    }

    [Fact]
    public async Task Data_GetSaveReplacesUpdateMerges()
    {
        var websiteId = await sim.InstallWebsiteAsync();
        var people = sim.Client.People;
        var peopleId = await people.AddProfileAsync(websiteId, new CrispPeopleProfileInput { Email = "data@example.com" });

        Assert.Empty(await people.GetDataAsync(websiteId, peopleId));

        await people.SaveDataAsync(websiteId, peopleId, new JsonObject { ["plan"] = "gold", ["orders"] = 3, ["vip"] = true });
        await people.SaveDataAsync(websiteId, peopleId, new JsonObject { ["plan"] = "silver", ["orders"] = 4 });
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["plan"] = "silver", ["orders"] = 4 }, await people.GetDataAsync(websiteId, peopleId)));

        await people.UpdateDataAsync(websiteId, "data@example.com", new JsonObject { ["orders"] = 5, ["ltv"] = 99.5 });
        Assert.True(JsonNode.DeepEquals(
            new JsonObject { ["plan"] = "silver", ["orders"] = 5, ["ltv"] = 99.5 },
            await people.GetDataAsync(websiteId, peopleId)));
    }

    [Fact]
    public async Task Events_AddAndList()
    {
        var websiteId = await sim.InstallWebsiteAsync();
        var people = sim.Client.People;
        var peopleId = await people.AddProfileAsync(websiteId, new CrispPeopleProfileInput { Email = "events@example.com" });

        await people.AddEventAsync(websiteId, peopleId, new CrispPeopleEventInput("Order placed") { Data = new JsonObject { ["total"] = 42, ["currency"] = "EUR" }, Color = CrispEventColor.Green });
        await people.AddEventAsync(websiteId, peopleId, new CrispPeopleEventInput("Signed in"));

        var events = await people.ListEventsAsync(websiteId, peopleId, 1);
        Assert.Equal(2, events.Count);
        var order = Assert.Single(events, e => e.Text == "Order placed");
        Assert.Equal(CrispEventColor.Green, order.Color);
        Assert.Equal(42, (int?)order.Data!["total"]);
        Assert.NotNull(order.Timestamp);
        Assert.Empty(await people.ListEventsAsync(websiteId, peopleId, 2));
    }

    [Fact]
    public async Task AddEvent_ObjectInData_InvalidData()
    {
        var websiteId = await sim.InstallWebsiteAsync();
        var peopleId = await sim.Client.People.AddProfileAsync(websiteId, new CrispPeopleProfileInput { Email = "bad-event@example.com" });

        var ex = await Assert.ThrowsAsync<CrispApiException>(() => sim.Client.People.AddEventAsync(
            websiteId, peopleId, new CrispPeopleEventInput("x") { Data = new JsonObject { ["nested"] = new JsonObject { ["a"] = 1 } } }));

        Assert.Equal(400, ex.StatusCode);
        Assert.Equal("invalid_data", ex.Reason);
    }

    [Fact]
    public async Task Conversations_OfAPerson_AreSessionIds()
    {
        var websiteId = await sim.InstallWebsiteAsync();
        var peopleId = await sim.Client.People.AddProfileAsync(websiteId, new CrispPeopleProfileInput { Email = "talker@example.com" });
        var sessionId = await sim.Client.Conversations.CreateAsync(websiteId);
        await sim.Client.Conversations.UpdateMetaAsync(websiteId, sessionId, new CrispConversationMeta { Email = "talker@example.com" });
        await sim.Client.Conversations.CreateAsync(websiteId);

        var sessions = await sim.Client.People.ListConversationsAsync(websiteId, peopleId, 1);

        Assert.Equal([sessionId], sessions);
        Assert.Empty(await sim.Client.People.ListConversationsAsync(websiteId, peopleId, 2));
    }

    [Fact]
    public async Task WebsiteTierToken_OfTheTenant_CanUsePeopleRoutes()
    {
        var websiteId = await sim.InstallWebsiteAsync();
        var tenant = sim.Client.WithCredentials(await sim.MintWebsiteTokenAsync(websiteId));

        var peopleId = await tenant.People.AddProfileAsync(websiteId, new CrispPeopleProfileInput { Email = "tenant@example.com" });

        Assert.True(await sim.Client.People.ProfileExistsAsync(websiteId, peopleId));
        Assert.Contains(await sim.JournalAsync(websiteId), e => e.Tier == "website" && e.Method == "POST");
    }

    [Fact]
    public async Task WebsiteTierToken_OfAnotherWebsite_NotAllowed()
    {
        var mine = await sim.InstallWebsiteAsync();
        var other = await sim.InstallWebsiteAsync();
        var tenant = sim.Client.WithCredentials(await sim.MintWebsiteTokenAsync(mine));

        var ex = await Assert.ThrowsAsync<CrispApiException>(() => tenant.People.ListProfilesAsync(other, 1));

        Assert.Equal(403, ex.StatusCode);
        Assert.Equal("not_allowed", ex.Reason);
    }

    [Fact]
    public async Task PeopleRoute_WebsiteWithoutPlugin_NotSubscribed()
    {
        var websiteId = await sim.InstallWebsiteAsync();
        await sim.UninstallWebsiteAsync(websiteId);

        var ex = await Assert.ThrowsAsync<CrispApiException>(() => sim.Client.People.ListProfilesAsync(websiteId, 1));

        Assert.Equal(404, ex.StatusCode);
        Assert.Equal("not_subscribed", ex.Reason);
    }
}
