using System.Net;

namespace IntegrationHub.Crisp.Tests.Client;

public sealed class CrispClientEnvelopeTests
{
    [Fact]
    public async Task GetAccount_SuccessEnvelope_ReturnsTypedData()
    {
        using var stub = new StubbedCrispClient((_, _) => StubCrispHandler.Envelope(HttpStatusCode.OK, """{"plugin_id":"p-1"}"""));

        var account = await stub.Client.Plugin.GetAccountAsync();

        Assert.Equal("p-1", account.PluginId);
    }

    [Fact]
    public async Task ListWebsites_206PartialContent_IsSuccess()
    {
        using var stub = new StubbedCrispClient((_, _) => StubCrispHandler.Envelope(
            HttpStatusCode.PartialContent,
            """[{"website_id":"w-1","token":"t-1","settings":{"greeting":"hi","count":3,"on":true},"plan":{"id":"pl","name":"Pro","trialing":false}}]""",
            "listed"));

        var websites = await stub.Client.Plugin.ListWebsitesAsync(1, includePlan: true);

        var website = Assert.Single(websites);
        Assert.Equal("w-1", website.WebsiteId);
        Assert.Equal("t-1", website.Token);
        Assert.Equal("hi", (string?)website.Settings!["greeting"]);
        Assert.Equal(3, (int?)website.Settings["count"]);
        Assert.Equal("Pro", website.Plan!.Name);
        Assert.Single(stub.Handler.Requests);
    }

    [Fact]
    public async Task ListAllWebsites_PagesUntilEmptyPage()
    {
        using var stub = new StubbedCrispClient((r, _) => r.Uri.AbsolutePath switch
        {
            "/v1/plugin/connect/websites/all/1" => StubCrispHandler.Envelope(HttpStatusCode.PartialContent, """[{"website_id":"a"},{"website_id":"b"}]""", "listed"),
            "/v1/plugin/connect/websites/all/2" => StubCrispHandler.Envelope(HttpStatusCode.PartialContent, """[{"website_id":"c"}]""", "listed"),
            _ => StubCrispHandler.Envelope(HttpStatusCode.PartialContent, "[]", "listed"),
        });

        var ids = new List<string>();
        await foreach (var website in stub.Client.Plugin.ListAllWebsitesAsync())
        {
            ids.Add(website.WebsiteId);
        }

        Assert.Equal(["a", "b", "c"], ids);
        Assert.Equal(3, stub.Handler.Requests.Count);
    }

    [Fact]
    public async Task Error_401InvalidSession_ThrowsApiExceptionWithStatusAndReason()
    {
        using var stub = new StubbedCrispClient((_, _) => StubCrispHandler.Error(HttpStatusCode.Unauthorized, "invalid_session"));

        var ex = await Assert.ThrowsAsync<CrispApiException>(() => stub.Client.Plugin.GetAccountAsync());

        Assert.Equal(401, ex.StatusCode);
        Assert.Equal("invalid_session", ex.Reason);
        Assert.Null(ex.DataMessage);
        Assert.IsNotType<CrispRateLimitedException>(ex);
        Assert.Single(stub.Handler.Requests);
    }

    [Fact]
    public async Task Error_WithDataMessage_CarriesMessage()
    {
        using var stub = new StubbedCrispClient((_, _) => StubCrispHandler.Error(HttpStatusCode.BadRequest, "invalid_data", "text is required"));

        var ex = await Assert.ThrowsAsync<CrispApiException>(() => stub.Client.People.AddEventAsync("w", "p", new CrispPeopleEventInput("x")));

        Assert.Equal(400, ex.StatusCode);
        Assert.Equal("invalid_data", ex.Reason);
        Assert.Equal("text is required", ex.DataMessage);
        Assert.Contains("invalid_data", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, "not_subscribed")]
    [InlineData(HttpStatusCode.NotFound, "people_not_found")]
    [InlineData(HttpStatusCode.Conflict, "people_exists")]
    [InlineData(HttpStatusCode.Forbidden, "restricted_route_tier")]
    [InlineData(HttpStatusCode.Forbidden, "website_cannot_write_to_legacy_helpdesk")]
    public async Task Error_4xx_IsNotRetriedAndKeepsReason(HttpStatusCode status, string reason)
    {
        using var stub = new StubbedCrispClient((_, _) => StubCrispHandler.Error(status, reason));

        var ex = await Assert.ThrowsAsync<CrispApiException>(() => stub.Client.People.GetProfileAsync("w", "p"));

        Assert.Equal((int)status, ex.StatusCode);
        Assert.Equal(reason, ex.Reason);
        Assert.Single(stub.Handler.Requests);
    }

    [Fact]
    public async Task Error_FlagInA2xxEnvelope_Throws()
    {
        using var stub = new StubbedCrispClient((_, _) => StubCrispHandler.Json(HttpStatusCode.OK, """{"error":true,"reason":"not_allowed","data":{}}"""));

        var ex = await Assert.ThrowsAsync<CrispApiException>(() => stub.Client.Plugin.GetAccountAsync());

        Assert.Equal(200, ex.StatusCode);
        Assert.Equal("not_allowed", ex.Reason);
    }

    [Fact]
    public async Task Error_BodyNotAnEnvelope_ReasonHttpError()
    {
        using var stub = new StubbedCrispClient((_, _) => new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = new StringContent("<html>bad</html>") });

        var ex = await Assert.ThrowsAsync<CrispApiException>(() => stub.Client.Plugin.GetAccountAsync());

        Assert.Equal(400, ex.StatusCode);
        Assert.Equal("http_error", ex.Reason);
    }

    [Fact]
    public async Task Success_WithoutData_IsInvalidResponse()
    {
        using var stub = new StubbedCrispClient((_, _) => StubCrispHandler.Json(HttpStatusCode.OK, """{"error":false,"reason":"resolved"}"""));

        var ex = await Assert.ThrowsAsync<CrispApiException>(() => stub.Client.Plugin.GetAccountAsync());

        Assert.Equal("invalid_response", ex.Reason);
    }

    [Theory]
    [InlineData("""{"error":false,"reason":"dispatched"}""")]
    [InlineData("""{"error":false,"reason":"dispatched","data":null}""")]
    [InlineData("""{"error":false,"reason":"dispatched","data":{"fingerprint":"not a number"}}""")]
    public async Task SendMessage_SuccessWithoutReadableData_IsSentWithoutFingerprint(string answer)
    {
        // A 2xx says the message went out: failing here dead-lettered it, and a replay sent it a second time.
        using var stub = new StubbedCrispClient((_, _) => StubCrispHandler.Json(HttpStatusCode.Accepted, answer));

        var fingerprint = await stub.Client.Conversations.SendMessageAsync("w", "session_1", CrispMessageInput.Text("hello"));

        Assert.Equal(0, fingerprint);
        Assert.Single(stub.Handler.Requests);
    }

    [Fact]
    public async Task Success_NonJsonBody_IsInvalidResponse()
    {
        using var stub = new StubbedCrispClient((_, _) => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("ok") });

        var ex = await Assert.ThrowsAsync<CrispApiException>(() => stub.Client.Campaigns.DispatchAsync("w", "c"));

        Assert.Equal("invalid_response", ex.Reason);
    }

    [Fact]
    public async Task Success_ActionWithEmptyBody_IsAccepted()
    {
        using var stub = new StubbedCrispClient((_, _) => new HttpResponseMessage(HttpStatusCode.NoContent));

        await stub.Client.Campaigns.DispatchAsync("w", "c");

        Assert.Single(stub.Handler.Requests);
    }

    [Theory]
    [InlineData(HttpStatusCode.OK, true)]
    [InlineData(HttpStatusCode.NotFound, false)]
    public async Task Head_200Or404_MapsToBool(HttpStatusCode status, bool expected)
    {
        using var stub = new StubbedCrispClient((_, _) => new HttpResponseMessage(status));

        Assert.Equal(expected, await stub.Client.People.ProfileExistsAsync("w", "p"));
        Assert.Equal(HttpMethod.Head, Assert.Single(stub.Handler.Requests).Method);
    }

    [Fact]
    public async Task Head_401_ThrowsInvalidSession()
    {
        using var stub = new StubbedCrispClient((_, _) => new HttpResponseMessage(HttpStatusCode.Unauthorized));

        var ex = await Assert.ThrowsAsync<CrispApiException>(() => stub.Client.Plugin.CheckSessionAsync());

        Assert.Equal(401, ex.StatusCode);
        Assert.Equal("invalid_session", ex.Reason);
    }

    [Fact]
    public async Task Head_429_ThrowsRateLimited()
    {
        using var stub = new StubbedCrispClient((_, _) => new HttpResponseMessage(HttpStatusCode.TooManyRequests));

        await Assert.ThrowsAsync<CrispRateLimitedException>(() => stub.Client.People.ProfileExistsAsync("w", "p"));
        Assert.Single(stub.Handler.Requests);
    }
}
