using System.Text.Json.Nodes;
using IntegrationHub.Web.Tests.Infrastructure;

namespace IntegrationHub.Web.Tests.Api;

/// <summary>
/// Every /api error has a stable type and one title per type, whoever writes it: the hub's readers, the framework
/// (an unknown route, a wrong method, a route constraint), or the smaller endpoints (relay, auto-replies, preview).
/// </summary>
public sealed class ApiProblemConsistencyTests(SqliteHubFixture fixture) : ApiTestBase(fixture), IClassFixture<SqliteHubFixture>
{
    public static TheoryData<string, string, string?, string, int, string, string?> Requests => new()
    {
        // method, url, body (null: none; prefix "text:" sends text/plain), status, type, field named in errors
        { "GET", "/api/v1/nothing-here", null, "", 404, "not-found", null },
        { "DELETE", "/api/v1/events", null, "", 405, "method-not-allowed", null },
        { "GET", "/api/v1/helpdesk/sync/not-a-uuid", null, "", 404, "not-found", null },
        { "GET", "/api/v1/events/0b9a4d1e-8d5f-4a43-9a0e-3a6f2f1f0b11", null, "", 404, "not-found", null },
        { "DELETE", "/api/v1/relay/endpoints/0b9a4d1e-8d5f-4a43-9a0e-3a6f2f1f0b11", null, "", 404, "not-found", null },
        { "POST", "/api/v1/relay/endpoints/0b9a4d1e-8d5f-4a43-9a0e-3a6f2f1f0b11/rotate-secret", null, "", 404, "not-found", null },
        { "POST", "/api/v1/events", "text:", "{\"event\":\"a\",\"email\":\"a@b.example\"}", 415, "unsupported-media-type", null },
        { "POST", "/api/v1/relay/endpoints", "text:", "{\"url\":\"https://hooks.example.com/x\",\"events\":[\"*\"]}", 415, "unsupported-media-type", null },
        { "PUT", "/api/v1/auto-replies", "text:", "{\"rules\":[]}", 415, "unsupported-media-type", null },
        { "POST", "/api/v1/rules/preview", "text:", "{\"event\":{\"event\":\"a\"}}", 415, "unsupported-media-type", null },
        { "POST", "/api/v1/relay/endpoints", "json:", "{\"url\":", 400, "invalid-json", null },
        { "PUT", "/api/v1/auto-replies", "json:", "{\"rules\":[],\"rules\":[]}", 400, "invalid-json", null },
        { "POST", "/api/v1/rules/preview", "json:", "", 400, "invalid-json", null },
        { "POST", "/api/v1/relay/endpoints", "json:", "[]", 422, "validation-failed", "$" },
        { "POST", "/api/v1/relay/endpoints", "json:", "{\"url\":5,\"events\":[\"*\"]}", 422, "validation-failed", "url" },
        { "POST", "/api/v1/relay/endpoints", "json:", "{\"url\":\"https://hooks.example.com/x\",\"events\":[\"*\"],\"secret\":\"mine\"}", 422, "validation-failed", "secret" },
        { "POST", "/api/v1/relay/endpoints", "json:", "{\"url\":\"http://hooks.example.com/x\",\"events\":[\"*\"]}", 422, "validation-failed", "url" },
        { "PUT", "/api/v1/auto-replies", "json:", "{\"window_minutes\":\"often\"}", 422, "validation-failed", "window_minutes" },
        { "PUT", "/api/v1/auto-replies", "json:", "{\"rules\":[{\"name\":\"\",\"trigger\":\"sometimes\",\"reply_text\":\"\"}]}", 422, "validation-failed", null },
        { "POST", "/api/v1/rules/preview", "json:", "{}", 422, "validation-failed", "event.event" },
        { "POST", "/api/v1/rules/preview", "json:", "{\"event\":{\"event\":\"a\",\"mail\":\"a@b.example\"}}", 422, "validation-failed", "event.mail" },
        { "POST", "/api/v1/events", "json:", "{\"event\":1,\"email\":\"a@b.example\"}", 422, "validation-failed", "event" },
        { "GET", "/api/v1/relay/endpoints/0b9a4d1e-8d5f-4a43-9a0e-3a6f2f1f0b11/deliveries?limit=abc", null, "", 422, "validation-failed", "limit" },
        { "GET", "/api/v1/relay/endpoints/0b9a4d1e-8d5f-4a43-9a0e-3a6f2f1f0b11/deliveries?limit=0", null, "", 422, "validation-failed", "limit" },
        { "GET", "/api/v1/relay/endpoints/0b9a4d1e-8d5f-4a43-9a0e-3a6f2f1f0b11/deliveries", null, "", 404, "not-found", null },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task EveryError_IsAProblem_WithTheHubsTypeAndTitle(string method, string url, string? media, string body, int status, string type, string? field)
    {
        var (_, client) = await TenantClientAsync();

        var problem = await AssertProblemAsync(await SendRawAsync(client, method, url, media, body), status, type);

        Assert.Equal(TitleOf(type), problem.GetProperty("title").GetString());
        if (field is not null)
        {
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name '{field}': {problem}");
        }
    }

    [Fact]
    public async Task SmallerEndpoints_RefusedBodies_ChangeNothing()
    {
        var (_, client) = await TenantClientAsync();
        var good = await client.PutAsync("/api/v1/auto-replies", Json("""{"rules": [{"name": "hi", "trigger": "first_message", "reply_text": "Hello"}]}"""));
        Assert.Equal(System.Net.HttpStatusCode.OK, good.StatusCode);

        await SendRawAsync(client, "PUT", "/api/v1/auto-replies", "json:", """{"rules": [], "unknown": true}""");
        await SendRawAsync(client, "POST", "/api/v1/relay/endpoints", "json:", """{"url": "https://hooks.example.com/x", "events": ["*"], "extra": 1}""");

        var rules = JsonNode.Parse(await client.GetStringAsync("/api/v1/auto-replies"))!["rules"]!.AsArray();
        Assert.Equal("hi", Assert.Single(rules)!["name"]!.GetValue<string>());
        Assert.Empty(JsonNode.Parse(await client.GetStringAsync("/api/v1/relay/endpoints"))!.AsArray());
    }

    // One title per type: the hub's own answers fix these, and the framework's must match them.
    private static string TitleOf(string type) => type switch
    {
        "not-found" => "Not found",
        "method-not-allowed" => "Method not allowed",
        "unsupported-media-type" => "Unsupported media type",
        "invalid-json" => "Malformed JSON",
        "validation-failed" => "The request has invalid fields",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    private static Task<HttpResponseMessage> SendRawAsync(HttpClient client, string method, string url, string? media, string body)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (media is not null)
        {
            request.Content = Json(body, media == "text:" ? "text/plain" : "application/json");
        }

        return client.SendAsync(request);
    }
}
