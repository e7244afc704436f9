using System.Text.Json.Nodes;

namespace IntegrationHub.Crisp.Tests.Contract;

public sealed class ConversationContractTests(CrispSimulatorFixture sim) : IClassFixture<CrispSimulatorFixture>
{
    private CrispConversationsApi Conversations => sim.Client.Conversations;

    [Fact]
    public async Task Create_Get_List()
    {
        var websiteId = await sim.InstallWebsiteAsync();

        var sessionId = await Conversations.CreateAsync(websiteId);

        Assert.StartsWith("session_", sessionId, StringComparison.Ordinal);
        var conversation = await Conversations.GetAsync(websiteId, sessionId);
        Assert.Equal(sessionId, conversation.SessionId);
        Assert.Equal(websiteId, conversation.WebsiteId);
        Assert.NotNull(conversation.State);
        Assert.NotNull(conversation.CreatedAt);

        var listed = await Conversations.ListAsync(websiteId, 1);
        Assert.Equal(sessionId, Assert.Single(listed).SessionId);
        Assert.Empty(await Conversations.ListAsync(websiteId, 2));
    }

    [Fact]
    public async Task List_Filters_AreApplied()
    {
        var websiteId = await sim.InstallWebsiteAsync();
        var open = await Conversations.CreateAsync(websiteId);
        var done = await Conversations.CreateAsync(websiteId);
        await Conversations.UpdateStateAsync(websiteId, done, CrispConversationState.Resolved);
        await Conversations.UpdateMetaAsync(websiteId, open, new CrispConversationMeta { Email = "finder@example.com" });

        var resolved = await Conversations.ListAsync(websiteId, 1, new CrispConversationFilter { FilterResolved = true });
        var notResolved = await Conversations.ListAsync(websiteId, 1, new CrispConversationFilter { FilterNotResolved = true, PerPage = 20 });
        var searched = await Conversations.ListAsync(websiteId, 1, new CrispConversationFilter { SearchQuery = "finder@", SearchType = "text" });

        Assert.Equal(done, Assert.Single(resolved).SessionId);
        Assert.Equal(open, Assert.Single(notResolved).SessionId);
        Assert.Equal(open, Assert.Single(searched).SessionId);
    }

    [Fact]
    public async Task List_AssignmentAndDateFilters_AreApplied()
    {
        var websiteId = await sim.InstallWebsiteAsync();
        var mine = await Conversations.CreateAsync(websiteId);
        var nobodys = await Conversations.CreateAsync(websiteId);
        await Conversations.AssignAsync(websiteId, mine, "operator-7");

        var assigned = await Conversations.ListAsync(websiteId, 1, new CrispConversationFilter { FilterAssigned = "operator-7" });
        var unassigned = await Conversations.ListAsync(websiteId, 1, new CrispConversationFilter { FilterUnassigned = true });
        var recent = await Conversations.ListAsync(websiteId, 1, new CrispConversationFilter
        {
            FilterDateStart = DateTimeOffset.UtcNow.AddMinutes(-5),
            FilterDateEnd = DateTimeOffset.UtcNow.AddMinutes(5),
        });
        var future = await Conversations.ListAsync(websiteId, 1, new CrispConversationFilter { FilterDateStart = DateTimeOffset.UtcNow.AddDays(1) });

        Assert.Equal(mine, Assert.Single(assigned).SessionId);
        Assert.Equal(nobodys, Assert.Single(unassigned).SessionId);
        Assert.Equal(2, recent.Count);
        Assert.Empty(future);
    }

    [Fact]
    public async Task List_PerPageOutOfRange_InvalidData()
    {
        var websiteId = await sim.InstallWebsiteAsync();

        var ex = await Assert.ThrowsAsync<CrispApiException>(() => Conversations.ListAsync(websiteId, 1, new CrispConversationFilter { PerPage = 500 }));

        Assert.Equal(400, ex.StatusCode);
        Assert.Equal("invalid_data", ex.Reason);
        Assert.False(string.IsNullOrEmpty(ex.DataMessage));
    }

    [Fact]
    public async Task Meta_GetAndPatch_DataReplacedOtherFieldsKept()
    {
        var websiteId = await sim.InstallWebsiteAsync();
        var sessionId = await Conversations.CreateAsync(websiteId);

        await Conversations.UpdateMetaAsync(websiteId, sessionId, new CrispConversationMeta
        {
            Nickname = "Visitor 7",
            Email = "v7@example.com",
            Segments = ["lead", "fr"],
            Data = new JsonObject { ["cart"] = 3, ["coupon"] = "WELCOME" },
        });
        await Conversations.UpdateMetaAsync(websiteId, sessionId, new CrispConversationMeta { Subject = "Refund", Data = new JsonObject { ["cart"] = 4 } });

        var meta = await Conversations.GetMetaAsync(websiteId, sessionId);
        Assert.Equal("Visitor 7", meta.Nickname);
        Assert.Equal("v7@example.com", meta.Email);
        Assert.Equal("Refund", meta.Subject);
        Assert.Equal(["lead", "fr"], meta.Segments);
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["cart"] = 4 }, meta.Data));
    }

    [Fact]
    public async Task State_GetAndPatch()
    {
        var websiteId = await sim.InstallWebsiteAsync();
        var sessionId = await Conversations.CreateAsync(websiteId);

        foreach (var state in new[] { CrispConversationState.Unresolved, CrispConversationState.Resolved, CrispConversationState.Pending })
        {
            await Conversations.UpdateStateAsync(websiteId, sessionId, state);
            Assert.Equal(state, await Conversations.GetStateAsync(websiteId, sessionId));
        }

        Assert.Equal(CrispConversationState.Pending, (await Conversations.GetAsync(websiteId, sessionId)).State);
    }

    [Fact]
    public async Task SendMessage_TextAndNote_ReturnFingerprints()
    {
        var websiteId = await sim.InstallWebsiteAsync();
        var sessionId = await Conversations.CreateAsync(websiteId);

        var text = await Conversations.SendMessageAsync(websiteId, sessionId, CrispMessageInput.Text("Your order shipped."));
        var note = await Conversations.SendMessageAsync(
            websiteId, sessionId, CrispMessageInput.Note("Refund approved", sim.Options.PluginUrn) with { User = new CrispMessageUser("participant", "Order bot") });

        Assert.True(text > 0);
        Assert.True(note > 0);
        Assert.NotEqual(text, note);
        Assert.Equal("Refund approved", (await Conversations.GetAsync(websiteId, sessionId)).LastMessage);
    }

    [Fact]
    public async Task SendMessage_BadOrigin_InvalidData()
    {
        var websiteId = await sim.InstallWebsiteAsync();
        var sessionId = await Conversations.CreateAsync(websiteId);

        var ex = await Assert.ThrowsAsync<CrispApiException>(
            () => Conversations.SendMessageAsync(websiteId, sessionId, CrispMessageInput.Text("hi", origin: "carrier-pigeon")));

        Assert.Equal("invalid_data", ex.Reason);
    }

    [Fact]
    public async Task Routing_GetAndAssign()
    {
        var websiteId = await sim.InstallWebsiteAsync();
        var sessionId = await Conversations.CreateAsync(websiteId);

        Assert.Null((await Conversations.GetRoutingAsync(websiteId, sessionId)).Assigned?.UserId);

        await Conversations.AssignAsync(websiteId, sessionId, "operator-42", silent: true);

        Assert.Equal("operator-42", (await Conversations.GetRoutingAsync(websiteId, sessionId)).Assigned!.UserId);
        Assert.Equal("operator-42", (await Conversations.GetAsync(websiteId, sessionId)).Assigned!.UserId);
    }

    [Fact]
    public async Task Get_UnknownSession_NotFoundReason()
    {
        var websiteId = await sim.InstallWebsiteAsync();

        var ex = await Assert.ThrowsAsync<CrispApiException>(() => Conversations.GetAsync(websiteId, "session_" + Guid.NewGuid()));

        Assert.Equal(404, ex.StatusCode);
        Assert.Equal("session_not_found", ex.Reason);
    }
}
