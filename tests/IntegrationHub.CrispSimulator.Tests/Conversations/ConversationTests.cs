using System.Text.Json.Nodes;
using IntegrationHub.CrispSimulator.Tests.Support;

namespace IntegrationHub.CrispSimulator.Tests.Conversations;

public sealed class ConversationTests(SimulatorHost host) : IClassFixture<SimulatorHost>
{
    private async Task<(string WebsiteId, string SessionId, SimClient Client)> ConversationAsync()
    {
        var websiteId = await host.InstallWebsiteAsync();
        var client = host.Plugin();
        var created = await client.SendAsync(HttpMethod.Post, $"v1/website/{websiteId}/conversation");
        Assert.Equal(201, created.Status);
        Assert.Equal("added", created.Reason);
        return (websiteId, created.Data!["session_id"]!.GetValue<string>(), client);
    }

    [Fact]
    public async Task CreateConversation_ThenGetAndHead_ReturnsConversation()
    {
        var (websiteId, sessionId, client) = await ConversationAsync();
        using var _ = client;
        Assert.StartsWith("session_", sessionId, StringComparison.Ordinal);

        var get = await client.GetAsync($"v1/website/{websiteId}/conversation/{sessionId}");
        var head = await client.SendAsync(HttpMethod.Head, $"v1/website/{websiteId}/conversation/{sessionId}");
        var missing = await client.SendAsync(HttpMethod.Head, $"v1/website/{websiteId}/conversation/session_{Guid.NewGuid()}");

        Assert.Equal(200, get.Status);
        Assert.Equal(sessionId, get.Data!["session_id"]!.GetValue<string>());
        Assert.Equal("pending", get.Data!["state"]!.GetValue<string>());
        Assert.Equal(200, head.Status);
        Assert.Equal("", head.Text);
        Assert.Equal(404, missing.Status);
    }

    [Fact]
    public async Task SendMessage_TextAndNote_ReturnsFingerprintsAndListsMessages()
    {
        var (websiteId, sessionId, client) = await ConversationAsync();
        using var _ = client;
        var path = $"v1/website/{websiteId}/conversation/{sessionId}";

        var text = await client.SendAsync(HttpMethod.Post, path + "/message", new { type = "text", from = "operator", origin = "chat", content = "Hello" });
        var note = await client.SendAsync(HttpMethod.Post, path + "/message", new { type = "note", from = "operator", origin = host.Options.PluginUrn, content = "Internal" });

        Assert.Equal(202, text.Status);
        Assert.Equal("dispatched", text.Reason);
        var fingerprint = text.Data!["fingerprint"]!.GetValue<long>();
        Assert.True(fingerprint > 0);
        Assert.NotEqual(fingerprint, note.Data!["fingerprint"]!.GetValue<long>());

        var messages = await client.GetAsync(path + "/messages");
        Assert.Equal(206, messages.Status);
        Assert.Equal(["Hello", "Internal"], messages.DataArray.Select(m => m!["content"]!.GetValue<string>()));
        Assert.Equal(fingerprint, messages.DataArray[0]!["fingerprint"]!.GetValue<long>());
        Assert.Equal("note", messages.DataArray[1]!["type"]!.GetValue<string>());

        var hooks = host.State.GetHooks(websiteId, "message:received");
        Assert.Equal(2, hooks.Count);
        Assert.Equal(fingerprint, JsonNode.Parse(hooks[0].Body)!["data"]!["fingerprint"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("{\"type\":\"text\",\"from\":\"operator\",\"origin\":\"chat\"}")]
    [InlineData("{\"type\":\"text\",\"from\":\"operator\",\"content\":\"x\"}")]
    [InlineData("{\"type\":\"shout\",\"from\":\"operator\",\"origin\":\"chat\",\"content\":\"x\"}")]
    [InlineData("{\"type\":\"text\",\"from\":\"robot\",\"origin\":\"chat\",\"content\":\"x\"}")]
    [InlineData("{\"type\":\"text\",\"from\":\"operator\",\"origin\":\"chat\",\"content\":{\"a\":1}}")]
    [InlineData("{\"type\":\"file\",\"from\":\"operator\",\"origin\":\"chat\",\"content\":\"x\"}")]
    [InlineData("{\"type\":\"text\",\"from\":\"operator\",\"origin\":\"chat\",\"content\":\"x\",\"mentions\":\"nope\"}")]
    public async Task SendMessage_WithInvalidBody_Returns400InvalidData(string body)
    {
        var (websiteId, sessionId, client) = await ConversationAsync();
        using var _ = client;
        var response = await client.SendRawAsync(HttpMethod.Post, $"v1/website/{websiteId}/conversation/{sessionId}/message", body);
        Assert.Equal(400, response.Status);
        Assert.Equal("invalid_data", response.Reason);
    }

    [Fact]
    public async Task PatchMeta_WithData_ReplacesDataObjectAndLeavesOtherFields()
    {
        var (websiteId, sessionId, client) = await ConversationAsync();
        using var _ = client;
        var path = $"v1/website/{websiteId}/conversation/{sessionId}/meta";

        await client.SendAsync(HttpMethod.Patch, path, new { nickname = "Zoe", segments = new[] { "lead" }, data = new { order = "A1", total = 10 } });
        var patch = await client.SendAsync(HttpMethod.Patch, path, new { data = new { order = "B2" } });
        Assert.Equal(200, patch.Status);
        Assert.Equal("updated", patch.Reason);

        var meta = (await client.GetAsync(path)).Data!;
        Assert.Equal(["order"], meta["data"]!.AsObject().Select(p => p.Key));
        Assert.Equal("B2", meta["data"]!["order"]!.GetValue<string>());
        Assert.Equal("Zoe", meta["nickname"]!.GetValue<string>());
        Assert.Equal("lead", meta["segments"]![0]!.GetValue<string>());

        var setData = host.State.GetHooks(websiteId, "session:set_data");
        Assert.Equal(2, setData.Count);
        var last = JsonNode.Parse(setData[^1].Body)!;
        Assert.Equal(sessionId, last["data"]!["session_id"]!.GetValue<string>());
        Assert.Equal("B2", last["data"]!["data"]!["order"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{\"data\":{\"a\":{\"b\":1}}}")]
    [InlineData("{\"data\":{\"a\":[1]}}")]
    [InlineData("{\"data\":{\"a\":null}}")]
    [InlineData("{\"data\":5}")]
    [InlineData("{\"segments\":[1,2]}")]
    [InlineData("{\"segments\":\"vip\"}")]
    [InlineData("{\"nickname\":12}")]
    [InlineData("{\"email\":\"not-an-email\"}")]
    public async Task PatchMeta_WithInvalidValues_Returns400AndChangesNothing(string body)
    {
        var (websiteId, sessionId, client) = await ConversationAsync();
        using var _ = client;
        var path = $"v1/website/{websiteId}/conversation/{sessionId}/meta";
        await client.SendAsync(HttpMethod.Patch, path, new { nickname = "Keep", data = new { keep = true } });

        var response = await client.SendRawAsync(HttpMethod.Patch, path, body);

        Assert.Equal(400, response.Status);
        Assert.Equal("invalid_data", response.Reason);
        var meta = (await client.GetAsync(path)).Data!;
        Assert.Equal("Keep", meta["nickname"]!.GetValue<string>());
        Assert.True(meta["data"]!["keep"]!.GetValue<bool>());
    }

    [Fact]
    public async Task PatchState_Resolved_UpdatesStateAndEmitsSetState()
    {
        var (websiteId, sessionId, client) = await ConversationAsync();
        using var _ = client;
        var path = $"v1/website/{websiteId}/conversation/{sessionId}/state";

        Assert.Equal(200, (await client.SendAsync(HttpMethod.Patch, path, new { state = "resolved" })).Status);
        Assert.Equal("resolved", (await client.GetAsync(path)).Data!["state"]!.GetValue<string>());
        Assert.Equal(400, (await client.SendAsync(HttpMethod.Patch, path, new { state = "closed" })).Status);
        Assert.Single(host.State.GetHooks(websiteId, "session:set_state"));
    }

    [Fact]
    public async Task SessionHooks_CarryWebsiteSessionAndInboxIds_AsCrispsDo()
    {
        var (websiteId, sessionId, client) = await ConversationAsync();
        using var _ = client;
        var root = $"v1/website/{websiteId}/conversation/{sessionId}";

        Assert.Equal(200, (await client.SendAsync(HttpMethod.Patch, root + "/state", new { state = "resolved" })).Status);
        Assert.Equal(200, (await client.SendAsync(HttpMethod.Patch, root + "/meta", new { nickname = "Zoe", segments = new[] { "lead" }, data = new { plan = "pro" } })).Status);
        Assert.Equal(200, (await client.SendAsync(HttpMethod.Delete, root)).Status);

        var events = new[] { "session:set_state", "session:set_nickname", "session:set_segments", "session:set_data", "session:removed" };
        foreach (var name in events)
        {
            var data = JsonNode.Parse(Assert.Single(host.State.GetHooks(websiteId, name)).Body)!["data"]!.AsObject();
            Assert.Equal(websiteId, data["website_id"]!.GetValue<string>());
            Assert.Equal(sessionId, data["session_id"]!.GetValue<string>());
            Assert.True(data.ContainsKey("inbox_id"), $"{name} has no inbox_id");
        }
    }

    [Fact]
    public async Task PatchRouting_AssignThenUnassign_IsReflectedInGet()
    {
        var (websiteId, sessionId, client) = await ConversationAsync();
        using var _ = client;
        var path = $"v1/website/{websiteId}/conversation/{sessionId}/routing";
        var userId = Guid.NewGuid().ToString();

        Assert.Equal(200, (await client.SendAsync(HttpMethod.Patch, path, new { assigned = new { user_id = userId } })).Status);
        Assert.Equal(userId, (await client.GetAsync(path)).Data!["assigned"]!["user_id"]!.GetValue<string>());
        await client.SendRawAsync(HttpMethod.Patch, path, "{\"assigned\":null}");
        Assert.Null((await client.GetAsync(path)).Data!["assigned"]);
    }

    [Fact]
    public async Task ListConversations_PagedUntilEmpty_ReturnsAllAndFilters()
    {
        var websiteId = await host.InstallWebsiteAsync();
        using var client = host.Plugin();
        for (var i = 0; i < 23; i++)
        {
            await client.SendAsync(HttpMethod.Post, $"v1/website/{websiteId}/conversation");
        }

        var sizes = new List<int>();
        for (var page = 1; ; page++)
        {
            var response = await client.GetAsync($"v1/website/{websiteId}/conversations/{page}");
            Assert.Equal(206, response.Status);
            sizes.Add(response.DataArray.Count);
            if (response.DataArray.Count == 0)
            {
                break;
            }
        }

        Assert.Equal([20, 3, 0], sizes);
        Assert.Empty((await client.GetAsync($"v1/website/{websiteId}/conversations/1?filter_resolved=1")).DataArray);
    }

    [Fact]
    public async Task VisitorMessage_ViaAdmin_CreatesConversationAndEmitsMessageSend()
    {
        var websiteId = await host.InstallWebsiteAsync();
        using var admin = host.Admin();
        using var client = host.Plugin();

        var sent = await admin.SendAsync(HttpMethod.Post, $"_sim/websites/{websiteId}/visitor-message", new { email = "v@example.com", nickname = "Val", content = "Help!" });

        Assert.Equal(201, sent.Status);
        var sessionId = sent.Data!["session_id"]!.GetValue<string>();
        var conversation = (await client.GetAsync($"v1/website/{websiteId}/conversation/{sessionId}")).Data!;
        Assert.Equal("v@example.com", conversation["meta"]!["email"]!.GetValue<string>());
        Assert.Equal("Help!", conversation["last_message"]!.GetValue<string>());
        var hook = Assert.Single(host.State.GetHooks(websiteId, "message:send"));
        var data = JsonNode.Parse(hook.Body)!["data"]!;
        Assert.Equal("user", data["from"]!.GetValue<string>());
        Assert.Equal("Help!", data["content"]!.GetValue<string>());
        Assert.Equal(sessionId, data["session_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task StateChange_ViaAdmin_EmitsSessionSetState()
    {
        var (websiteId, sessionId, client) = await ConversationAsync();
        using var _ = client;
        using var admin = host.Admin();
        var response = await admin.SendAsync(HttpMethod.Post, $"_sim/websites/{websiteId}/conversations/{sessionId}/state", new { state = "unresolved" });
        Assert.Equal(200, response.Status);
        var hook = Assert.Single(host.State.GetHooks(websiteId, "session:set_state"));
        Assert.Equal("unresolved", JsonNode.Parse(hook.Body)!["data"]!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task ListConversations_FilterAssignedAndUnassigned_SplitsConversations()
    {
        var websiteId = await host.InstallWebsiteAsync();
        using var client = host.Plugin();
        var root = $"v1/website/{websiteId}";
        var first = (await client.SendAsync(HttpMethod.Post, root + "/conversation")).Data!["session_id"]!.GetValue<string>();
        var second = (await client.SendAsync(HttpMethod.Post, root + "/conversation")).Data!["session_id"]!.GetValue<string>();
        var userId = Guid.NewGuid().ToString();
        await client.SendAsync(HttpMethod.Patch, root + $"/conversation/{first}/routing", new { assigned = new { user_id = userId } });

        var assigned = await client.GetAsync(root + $"/conversations/1?filter_assigned={userId}");
        var unassigned = await client.GetAsync(root + "/conversations/1?filter_unassigned=1");

        Assert.Equal(first, Assert.Single(assigned.DataArray)!["session_id"]!.GetValue<string>());
        Assert.Equal(second, Assert.Single(unassigned.DataArray)!["session_id"]!.GetValue<string>());
    }
}
