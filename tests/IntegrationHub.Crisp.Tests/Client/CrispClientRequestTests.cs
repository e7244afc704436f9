using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Crisp.Tests.Client;

public sealed class CrispClientRequestTests
{
    private static readonly string BasicOfDefault =
        Convert.ToBase64String(Encoding.UTF8.GetBytes(StubbedCrispClient.Identifier + ":" + StubbedCrispClient.Key));

    private static StubbedCrispClient Ok(string data = "{}") =>
        new((_, _) => StubCrispHandler.Envelope(HttpStatusCode.OK, data));

    [Fact]
    public async Task Request_CarriesBasicAuthTierUserAgentAndAccept()
    {
        using var stub = Ok("""{"plugin_id":"p"}""");

        await stub.Client.Plugin.GetAccountAsync();

        var request = Assert.Single(stub.Handler.Requests);
        Assert.Equal("https://crisp.test/v1/plugin/connect/account", request.Uri.AbsoluteUri);
        Assert.Equal("Basic " + BasicOfDefault, request.Headers["Authorization"]);
        Assert.Equal("plugin", request.Headers["X-Crisp-Tier"]);
        Assert.Equal("IntegrationHub/0.1.0", request.Headers["User-Agent"]);
        Assert.Equal("application/json", request.Headers["Accept"]);
    }

    [Fact]
    public async Task WithCredentials_SignsWithOtherTokenAndTier_OriginalUnchanged()
    {
        using var stub = Ok();
        var tenant = stub.Client.WithCredentials(CrispCredentials.Website("website-token-id", "website-token-key"));

        await tenant.People.UpdateDataAsync("w", "p", new JsonObject { ["plan"] = "gold" });
        await stub.Client.People.UpdateDataAsync("w", "p", new JsonObject { ["plan"] = "silver" });

        var (viaTenant, viaPlugin) = (stub.Handler.Requests[0], stub.Handler.Requests[1]);
        Assert.Equal("Basic " + Convert.ToBase64String("website-token-id:website-token-key"u8.ToArray()), viaTenant.Headers["Authorization"]);
        Assert.Equal("website", viaTenant.Headers["X-Crisp-Tier"]);
        Assert.Equal("website", tenant.Tier);
        Assert.Equal("Basic " + BasicOfDefault, viaPlugin.Headers["Authorization"]);
        Assert.Equal("plugin", viaPlugin.Headers["X-Crisp-Tier"]);
    }

    [Fact]
    public async Task NoCredentialsConfigured_InvalidOperationWithoutRequest()
    {
        using var stub = new StubbedCrispClient((_, _) => StubCrispHandler.Envelope(HttpStatusCode.OK, "{}"), o => o.Key = "");

        await Assert.ThrowsAsync<InvalidOperationException>(() => stub.Client.Plugin.GetAccountAsync());
        Assert.Empty(stub.Handler.Requests);
    }

    [Fact]
    public async Task ExceptionText_NeverContainsCredentials()
    {
        using var stub = new StubbedCrispClient((_, n) => n switch
        {
            1 => StubCrispHandler.Error(HttpStatusCode.Unauthorized, "invalid_session", "token rejected"),
            2 => StubCrispHandler.Error(HttpStatusCode.TooManyRequests, "rate_limited"),
            _ => throw new HttpRequestException("no route to host"),
        });
        var tenant = stub.Client.WithCredentials(CrispCredentials.Website("tenant-id-9999", "tenant-key-secret-0000"));

        var failures = new List<Exception>
        {
            await Assert.ThrowsAsync<CrispApiException>(() => stub.Client.Plugin.GetAccountAsync()),
            await Assert.ThrowsAsync<CrispRateLimitedException>(() => tenant.People.GetProfileAsync("w", "p")),
            await Assert.ThrowsAsync<CrispTransportException>(() => tenant.Conversations.GetAsync("w", "s")),
        };

        var secrets = new[]
        {
            StubbedCrispClient.Key, StubbedCrispClient.Identifier, BasicOfDefault,
            "tenant-id-9999", "tenant-key-secret-0000", Convert.ToBase64String("tenant-id-9999:tenant-key-secret-0000"u8.ToArray()),
        };
        foreach (var failure in failures)
        {
            var text = failure.ToString();
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Credentials_ToString_HidesKey()
    {
        var text = new CrispCredentials("id-1", "key-hidden-1").ToString();

        Assert.DoesNotContain("key-hidden-1", text, StringComparison.Ordinal);
        Assert.Contains("plugin", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TreePath_SlashesKeptAndSegmentsEscaped()
    {
        using var stub = Ok("""{"content":"# Shipping"}""");

        var content = await stub.Client.Helpdesk.GetContentAsync("w-1", "en", CrispHelpdeskContentType.Articles, "orders/delivery/shipping policy.md");

        Assert.Equal("# Shipping", content);
        Assert.Equal(
            "https://crisp.test/v1/website/w-1/helpdesk/tree/content/en/articles/orders/delivery/shipping%20policy.md",
            Assert.Single(stub.Handler.Requests).Uri.AbsoluteUri);
    }

    [Theory]
    [InlineData("orders/../secret.md")]
    [InlineData("orders//x.md")]
    [InlineData("./x.md")]
    public async Task TreePath_DotOrEmptySegment_RejectedBeforeSending(string treePath)
    {
        using var stub = Ok();

        await Assert.ThrowsAsync<ArgumentException>(() => stub.Client.Helpdesk.GetContentAsync("w", "en", CrispHelpdeskContentType.Guides, treePath));
        Assert.Empty(stub.Handler.Requests);
    }

    [Fact]
    public async Task PeopleId_AsEmail_IsOneEscapedSegment()
    {
        using var stub = Ok("""{"people_id":"p-1","email":"jane+vip@example.com"}""");

        var profile = await stub.Client.People.GetProfileAsync("w", "jane+vip@example.com");

        Assert.Equal("p-1", profile.PeopleId);
        Assert.Equal("/v1/website/w/people/profile/jane%2Bvip%40example.com", Assert.Single(stub.Handler.Requests).Uri.AbsolutePath);
    }

    [Fact]
    public async Task Segment_WithSlash_CannotEscapeItsSegment()
    {
        using var stub = Ok();

        await stub.Client.People.GetDataAsync("w/../other", "p");

        Assert.Equal("/v1/website/w%2F..%2Fother/people/data/p", Assert.Single(stub.Handler.Requests).Uri.AbsolutePath);
    }

    [Fact]
    public async Task WebsitesSince_DateAndFlagsInQuery()
    {
        using var stub = new StubbedCrispClient((_, _) => StubCrispHandler.Envelope(
            HttpStatusCode.PartialContent, """[{"website_id":"w","difference":"removed"}]""", "listed"));

        var since = new DateTimeOffset(2026, 1, 2, 4, 4, 5, TimeSpan.FromHours(1));
        var changes = await stub.Client.Plugin.ListWebsitesSinceAsync(since, filterConfigured: true);

        Assert.Equal("removed", Assert.Single(changes).Difference);
        Assert.Equal(
            "?date_since=2026-01-02T03%3A04%3A05.000Z&filter_configured=1&include_plan=0",
            Assert.Single(stub.Handler.Requests).Uri.Query);
    }

    [Fact]
    public async Task ConversationFilter_OnlySetFiltersSent()
    {
        using var stub = new StubbedCrispClient((_, _) => StubCrispHandler.Envelope(HttpStatusCode.PartialContent, "[]", "listed"));

        await stub.Client.Conversations.ListAsync("w", 2, new CrispConversationFilter { FilterNotResolved = true, FilterAssigned = "u 1" });

        var request = Assert.Single(stub.Handler.Requests);
        Assert.Equal("/v1/website/w/conversations/2", request.Uri.AbsolutePath);
        Assert.Equal("?filter_not_resolved=1&filter_assigned=u%201", request.Uri.Query);
    }

    [Fact]
    public async Task Bodies_SnakeCaseEnumsAsStringsNullsOmitted()
    {
        using var stub = new StubbedCrispClient((_, _) => StubCrispHandler.Envelope(HttpStatusCode.OK, """{"fingerprint":1,"people_id":"p"}"""));

        await stub.Client.Conversations.SendMessageAsync("w", "s", CrispMessageInput.Note("internal", "urn:acme:hub:0"));
        await stub.Client.Conversations.UpdateStateAsync("w", "s", CrispConversationState.Resolved);
        await stub.Client.Conversations.AssignAsync("w", "s", "user-1");
        await stub.Client.People.AddEventAsync("w", "p", new CrispPeopleEventInput("Order paid") { Color = CrispEventColor.Green, Data = new JsonObject { ["total"] = 12.5 } });
        await stub.Client.People.AddProfileAsync("w", new CrispPeopleProfileInput { Email = "a@b.c", Person = new CrispPerson { Nickname = "Ann" } });
        await stub.Client.Helpdesk.CreatePathAsync("w", "en", CrispHelpdeskContentType.News, "launch.md");
        await stub.Client.Helpdesk.MovePathAsync("w", "en", CrispHelpdeskContentType.Articles, "a.md", "b/a.md");
        await stub.Client.Helpdesk.UpdateMetadataAsync("w", "en", CrispHelpdeskContentType.Articles, "a.md",
            new CrispHelpdeskMetadata { Title = "A", State = new CrispHelpdeskState { Published = true } });

        var bodies = stub.Handler.Requests.Select(r => r.Body).ToList();
        Assert.Equal("""{"type":"note","from":"operator","origin":"urn:acme:hub:0","content":"internal"}""", bodies[0]);
        Assert.Equal("""{"state":"resolved"}""", bodies[1]);
        Assert.Equal("""{"assigned":{"user_id":"user-1"}}""", bodies[2]);
        Assert.Equal("""{"text":"Order paid","data":{"total":12.5},"color":"green"}""", bodies[3]);
        Assert.Equal("""{"email":"a@b.c","person":{"nickname":"Ann"}}""", bodies[4]);
        Assert.Equal("null", bodies[5]);
        Assert.Equal("""{"action":"move","path":{"to":"b/a.md"}}""", bodies[6]);
        Assert.Equal("""{"title":"A","state":{"published":true}}""", bodies[7]);
        Assert.StartsWith("application/json", stub.Handler.Requests[0].ContentType, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_RelativeBaseUrl_FailsValidation()
    {
        var services = new ServiceCollection();
        services.AddCrispClient(o => o.BaseUrl = new Uri("/v1/", UriKind.Relative));
        using var provider = services.BuildServiceProvider();

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<CrispClientOptions>>().Value);
    }

    [Fact]
    public async Task BaseUrl_WithoutTrailingSlash_KeepsVersionPath()
    {
        using var stub = new StubbedCrispClient(
            (_, _) => StubCrispHandler.Envelope(HttpStatusCode.OK, """{"plugin_id":"p"}"""),
            o => o.BaseUrl = new Uri("http://127.0.0.1:5000/v1"));

        await stub.Client.Plugin.GetAccountAsync();

        Assert.Equal("http://127.0.0.1:5000/v1/plugin/connect/account", Assert.Single(stub.Handler.Requests).Uri.AbsoluteUri);
    }
}
