using System.Text.Json.Nodes;
using IntegrationHub.CrispSimulator.Tests.Support;

namespace IntegrationHub.CrispSimulator.Tests.People;

public sealed class PeopleTests(SimulatorHost host) : IClassFixture<SimulatorHost>
{
    private async Task<(SimClient Client, string Base)> WebsiteAsync()
    {
        var websiteId = await host.InstallWebsiteAsync();
        return (host.Plugin(), $"v1/website/{websiteId}/people");
    }

    private static async Task<string> AddAsync(SimClient client, string root, string email, string nickname = "Ann")
    {
        var response = await client.SendAsync(HttpMethod.Post, root + "/profile", new { email, person = new { nickname } });
        Assert.Equal(201, response.Status);
        Assert.Equal("added", response.Reason);
        return response.Data!["people_id"]!.GetValue<string>();
    }

    [Fact]
    public async Task AddProfile_ThenGetByIdAndByEmail_ReturnsSameProfile()
    {
        var (client, root) = await WebsiteAsync();
        using var _ = client;
        var peopleId = await AddAsync(client, root, "ann@example.com");

        var byId = await client.GetAsync($"{root}/profile/{peopleId}");
        var byEmail = await client.GetAsync($"{root}/profile/ann@example.com");
        var byEncodedEmail = await client.GetAsync($"{root}/profile/{Uri.EscapeDataString("ANN@example.com")}");

        Assert.Equal(200, byId.Status);
        Assert.Equal("resolved", byId.Reason);
        Assert.Equal(peopleId, byEmail.Data!["people_id"]!.GetValue<string>());
        Assert.Equal(peopleId, byEncodedEmail.Data!["people_id"]!.GetValue<string>());
        Assert.Equal("Ann", byId.Data!["person"]!["nickname"]!.GetValue<string>());
    }

    [Fact]
    public async Task AddProfile_WithExistingEmail_Returns409PeopleExists()
    {
        var (client, root) = await WebsiteAsync();
        using var _ = client;
        await AddAsync(client, root, "dup@example.com");
        var response = await client.SendAsync(HttpMethod.Post, root + "/profile", new { email = "DUP@example.com" });
        Assert.Equal(409, response.Status);
        Assert.Equal("people_exists", response.Reason);
        Assert.True(response.Error);
    }

    [Fact]
    public async Task HeadProfile_ExistingAndMissing_Returns200And404WithoutBody()
    {
        var (client, root) = await WebsiteAsync();
        using var _ = client;
        await AddAsync(client, root, "head@example.com");
        var found = await client.SendAsync(HttpMethod.Head, $"{root}/profile/head@example.com");
        var missing = await client.SendAsync(HttpMethod.Head, $"{root}/profile/{Guid.NewGuid()}");
        Assert.Equal(200, found.Status);
        Assert.Equal("", found.Text);
        Assert.Equal(404, missing.Status);
        Assert.Equal("", missing.Text);
    }

    [Theory]
    [InlineData("GET", "/profile/{0}")]
    [InlineData("PATCH", "/profile/{0}")]
    [InlineData("DELETE", "/profile/{0}")]
    [InlineData("GET", "/data/{0}")]
    [InlineData("GET", "/events/{0}/list/1")]
    [InlineData("GET", "/conversations/{0}/list/1")]
    public async Task PeopleRoute_UnknownPerson_Returns404PeopleNotFound(string method, string pattern)
    {
        var (client, root) = await WebsiteAsync();
        using var _ = client;
        var path = root + string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, "nobody@example.com");
        var response = await client.SendAsync(new HttpMethod(method), path, method == "PATCH" ? new { notepad = "x" } : null);
        Assert.Equal(404, response.Status);
        Assert.Equal("people_not_found", response.Reason);
    }

    [Fact]
    public async Task PatchProfile_TouchesOnlyGivenFields_PutReplacesAll()
    {
        var (client, root) = await WebsiteAsync();
        using var _ = client;
        await AddAsync(client, root, "p@example.com");
        await client.SendAsync(HttpMethod.Patch, root + "/profile/p@example.com", new { segments = new[] { "vip" }, person = new { phone = "+1" } });
        var patched = (await client.GetAsync(root + "/profile/p@example.com")).Data!;
        Assert.Equal("Ann", patched["person"]!["nickname"]!.GetValue<string>());
        Assert.Equal("+1", patched["person"]!["phone"]!.GetValue<string>());
        Assert.Equal("vip", patched["segments"]![0]!.GetValue<string>());

        var put = await client.SendAsync(HttpMethod.Put, root + "/profile/p@example.com", new { email = "p2@example.com", person = new { nickname = "Bo" } });
        Assert.Equal(200, put.Status);
        var saved = (await client.GetAsync(root + "/profile/p2@example.com")).Data!;
        Assert.Null(saved["person"]!["phone"]);
        Assert.Empty(saved["segments"]!.AsArray());
        Assert.Equal(404, (await client.GetAsync(root + "/profile/p@example.com")).Status);
    }

    [Fact]
    public async Task DeleteProfile_Existing_Returns200DeletedThen404()
    {
        var (client, root) = await WebsiteAsync();
        using var _ = client;
        var id = await AddAsync(client, root, "gone@example.com");
        var deleted = await client.SendAsync(HttpMethod.Delete, $"{root}/profile/{id}");
        Assert.Equal(200, deleted.Status);
        Assert.Equal("deleted", deleted.Reason);
        Assert.Equal(404, (await client.GetAsync($"{root}/profile/{id}")).Status);
    }

    [Fact]
    public async Task PeopleData_PatchMerges_PutReplaces()
    {
        var (client, root) = await WebsiteAsync();
        using var _ = client;
        await AddAsync(client, root, "d@example.com");
        var path = root + "/data/d@example.com";

        Assert.Equal(200, (await client.SendAsync(HttpMethod.Put, path, new { data = new { plan = "pro", seats = 3 } })).Status);
        Assert.Equal(200, (await client.SendAsync(HttpMethod.Patch, path, new { data = new { seats = 5, trial = false } })).Status);
        var merged = (await client.GetAsync(path)).Data!["data"]!.AsObject();
        Assert.Equal("pro", merged["plan"]!.GetValue<string>());
        Assert.Equal(5, merged["seats"]!.GetValue<int>());
        Assert.False(merged["trial"]!.GetValue<bool>());

        await client.SendAsync(HttpMethod.Put, path, new { data = new { only = "this" } });
        var replaced = (await client.GetAsync(path)).Data!["data"]!.AsObject();
        Assert.Equal(["only"], replaced.Select(p => p.Key));
    }

    [Theory]
    [InlineData("{\"data\":{\"nested\":{\"a\":1}}}")]
    [InlineData("{\"data\":{\"list\":[1,2]}}")]
    [InlineData("{\"data\":{\"nothing\":null}}")]
    [InlineData("{\"data\":[1]}")]
    [InlineData("{\"data\":\"x\"}")]
    [InlineData("{}")]
    public async Task PeopleData_WithNonPrimitiveValues_Returns400InvalidData(string body)
    {
        var (client, root) = await WebsiteAsync();
        using var _ = client;
        await AddAsync(client, root, "bad@example.com");
        foreach (var method in new[] { HttpMethod.Put, HttpMethod.Patch })
        {
            var response = await client.SendRawAsync(method, root + "/data/bad@example.com", body);
            Assert.Equal(400, response.Status);
            Assert.Equal("invalid_data", response.Reason);
        }
    }

    [Fact]
    public async Task PeopleEvents_AddThenList_NewestFirstWithColor()
    {
        var (client, root) = await WebsiteAsync();
        using var _ = client;
        await AddAsync(client, root, "e@example.com");
        var first = await client.SendAsync(HttpMethod.Post, root + "/events/e@example.com", new { text = "Signed up", data = new { plan = "pro" }, color = "green" });
        Assert.Equal(201, first.Status);
        await client.SendAsync(HttpMethod.Post, root + "/events/e@example.com", new { text = "Paid" });

        var list = await client.GetAsync(root + "/events/e@example.com/list/1");
        Assert.Equal(206, list.Status);
        Assert.Equal(["Paid", "Signed up"], list.DataArray.Select(e => e!["text"]!.GetValue<string>()));
        Assert.Equal("green", list.DataArray[1]!["color"]!.GetValue<string>());
        Assert.Empty((await client.GetAsync(root + "/events/e@example.com/list/2")).DataArray);
    }

    [Theory]
    [InlineData("{\"text\":\"x\",\"color\":\"magenta\"}")]
    [InlineData("{\"data\":{}}")]
    [InlineData("{\"text\":42}")]
    [InlineData("{\"text\":\"x\",\"data\":{\"a\":{}}}")]
    public async Task PeopleEvents_WithInvalidBody_Returns400InvalidData(string body)
    {
        var (client, root) = await WebsiteAsync();
        using var _ = client;
        await AddAsync(client, root, "ev@example.com");
        var response = await client.SendRawAsync(HttpMethod.Post, root + "/events/ev@example.com", body);
        Assert.Equal(400, response.Status);
        Assert.Equal("invalid_data", response.Reason);
    }

    [Fact]
    public async Task ListProfiles_PagedUntilEmptyAndSearchText_FindsEveryoneOnce()
    {
        var (client, root) = await WebsiteAsync();
        using var _ = client;
        for (var i = 0; i < 45; i++)
        {
            await AddAsync(client, root, $"user{i}@paging.test", $"User {i}");
        }

        var emails = new List<string>();
        var sizes = new List<int>();
        for (var page = 1; ; page++)
        {
            var response = await client.GetAsync($"{root}/profiles/{page}");
            Assert.Equal(206, response.Status);
            sizes.Add(response.DataArray.Count);
            if (response.DataArray.Count == 0)
            {
                break;
            }

            emails.AddRange(response.DataArray.Select(p => p!["email"]!.GetValue<string>()));
        }

        Assert.Equal([20, 20, 5, 0], sizes);
        Assert.Equal(45, emails.Distinct().Count());
        var search = await client.GetAsync($"{root}/profiles/1?search_text=user17@");
        Assert.Equal("user17@paging.test", Assert.Single(search.DataArray)!["email"]!.GetValue<string>());
        Assert.Equal(45, (await client.GetAsync($"{root}/profiles/1?per_page=50")).DataArray.Count);
        Assert.Equal(400, (await client.GetAsync($"{root}/profiles/1?per_page=500")).Status);
        Assert.Equal(400, (await client.GetAsync($"{root}/profiles/0")).Status);
    }

    [Fact]
    public async Task PeopleConversations_ForPersonWithChats_ReturnsSessionIdsOnly()
    {
        var websiteId = await host.InstallWebsiteAsync();
        using var client = host.Plugin();
        using var admin = host.Admin();
        var root = $"v1/website/{websiteId}/people";
        await AddAsync(client, root, "chat@example.com");
        var first = await admin.SendAsync(HttpMethod.Post, $"_sim/websites/{websiteId}/visitor-message", new { email = "chat@example.com", content = "Hi" });
        var second = await admin.SendAsync(HttpMethod.Post, $"_sim/websites/{websiteId}/visitor-message", new { email = "chat@example.com", content = "Again" });
        await admin.SendAsync(HttpMethod.Post, $"_sim/websites/{websiteId}/visitor-message", new { email = "other@example.com", content = "Not mine" });

        var response = await client.GetAsync($"{root}/conversations/chat@example.com/list/1");

        Assert.Equal(206, response.Status);
        var sessions = response.DataArray.Select(s => s!.GetValue<string>()).ToList();
        Assert.Equal(2, sessions.Count);
        Assert.Contains(first.Data!["session_id"]!.GetValue<string>(), sessions);
        Assert.Contains(second.Data!["session_id"]!.GetValue<string>(), sessions);
        Assert.All(sessions, s => Assert.StartsWith("session_", s, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddProfile_EmitsPeopleProfileCreatedHook()
    {
        var websiteId = await host.InstallWebsiteAsync();
        using var client = host.Plugin();
        var id = await AddAsync(client, $"v1/website/{websiteId}/people", "hook@example.com");
        var hook = Assert.Single(host.State.GetHooks(websiteId, "people:profile:created"));
        var data = JsonNode.Parse(hook.Body)!["data"]!;
        Assert.Equal(id, data["people_id"]!.GetValue<string>());
        Assert.Equal("hook@example.com", data["email"]!.GetValue<string>());
    }
}
