using System.Net.Http.Headers;
using IntegrationHub.CrispSimulator.Tests.Support;

namespace IntegrationHub.CrispSimulator.Tests.Infrastructure;

/// <summary>Malformed and mistyped bodies on every body-taking route: always 400 <c>invalid_data</c>, never 500.</summary>
public sealed class BadInputTests(SimulatorHost host) : IClassFixture<SimulatorHost>
{
    public static readonly string[] MalformedBodies =
    [
        "",
        "{",
        "}",
        "[",
        "nul",
        "{\"a\":}",
        "{'a':1}",
        "{\"a\":1,}",
        "{} trailing",
        "{\"a\" 1}",
        "\"just a string\"",
        "123",
        "true",
        "null",
        "[]",
        "[{\"email\":\"a@b.c\"}]",
        "/* comment */ {}",
        "{\"email\":\"dup@example.com\",\"email\":\"dup2@example.com\"}",
        "{\"data\":{\"k\":1,\"k\":2}}",
        new string('[', 200) + new string(']', 200),
        "{\"a\":" + new string('{', 100) + new string('}', 100) + "}",
        "{\"a\":1e999999}",
        "{\"a\":\"\\uZZZZ\"}",
        "{\"a\":\"unterminated}",
        "\u00ef\u00bb\u00bf{}x",
        "{\"email\":null,\"data\":null,\"content\":null,\"state\":null,\"action\":null,\"locale\":null,\"text\":null,\"name\":null}",
        "{\"email\":12,\"data\":\"x\",\"content\":[1],\"state\":{},\"action\":false,\"locale\":1,\"text\":{},\"name\":[],\"type\":3,\"assigned\":5}",
    ];

    private async Task<IReadOnlyList<(HttpMethod Method, string Path)>> RoutesAsync()
    {
        var websiteId = await host.InstallWebsiteAsync();
        using var client = host.Plugin();
        var root = $"v1/website/{websiteId}";
        await client.SendAsync(HttpMethod.Post, root + "/people/profile", new { email = "bad@example.com" });
        var session = (await client.SendAsync(HttpMethod.Post, root + "/conversation")).Data!["session_id"]!.GetValue<string>();
        await client.SendAsync(HttpMethod.Post, root + "/helpdesk/tree/path/en/articles/page.md");
        var settings = $"v1/plugins/subscription/{websiteId}/{host.Options.PluginId}/settings";
        return
        [
            (HttpMethod.Post, root + "/people/profile"),
            (HttpMethod.Put, root + "/people/profile/bad@example.com"),
            (HttpMethod.Patch, root + "/people/profile/bad@example.com"),
            (HttpMethod.Put, root + "/people/data/bad@example.com"),
            (HttpMethod.Patch, root + "/people/data/bad@example.com"),
            (HttpMethod.Post, root + "/people/events/bad@example.com"),
            (HttpMethod.Post, root + $"/conversation/{session}/message"),
            (HttpMethod.Patch, root + $"/conversation/{session}/meta"),
            (HttpMethod.Patch, root + $"/conversation/{session}/state"),
            (HttpMethod.Patch, root + $"/conversation/{session}/routing"),
            (HttpMethod.Put, settings),
            (HttpMethod.Patch, settings),
            (HttpMethod.Post, root + "/helpdesk/locale"),
            (HttpMethod.Patch, root + "/helpdesk/tree/path/en/articles/page.md"),
            (HttpMethod.Put, root + "/helpdesk/tree/content/en/articles/page.md"),
            (HttpMethod.Patch, root + "/helpdesk/tree/metadata/en/articles/page.md"),
        ];
    }

    [Fact]
    public async Task BodyRoutes_WithMalformedOrMistypedBodies_Return400InvalidDataNever500()
    {
        var routes = await RoutesAsync();
        using var client = host.Plugin();
        var failures = new List<string>();
        foreach (var (method, path) in routes)
        {
            foreach (var body in MalformedBodies)
            {
                // Valid-but-irrelevant shapes are legitimately accepted by settings PUT/PATCH and metadata PATCH (any object).
                var response = await client.SendRawAsync(method, path, body);
                var acceptsAnyObject = path.Contains("/settings", StringComparison.Ordinal) || path.Contains("/tree/metadata/", StringComparison.Ordinal);
                if (acceptsAnyObject && response.Status == 200 && body.StartsWith('{'))
                {
                    continue;
                }

                if (response.Status != 400 || response.Reason != "invalid_data" || response.Error != true)
                {
                    failures.Add($"{method} {path} <{body[..Math.Min(body.Length, 40)]}> → {response.Status} {response.Reason}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.DoesNotContain(host.State.GetJournal(), e => e.Status >= 500);
    }

    [Fact]
    public async Task BodyRoutes_WithInvalidUtf8_Return400InvalidData()
    {
        var routes = await RoutesAsync();
        using var client = host.Plugin();
        foreach (var (method, path) in routes)
        {
            using var request = new HttpRequestMessage(method, path);
            request.Content = new ByteArrayContent([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0xFF, 0x22, 0x7D]);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await client.Http.SendAsync(request);
            Assert.Equal(400, (int)response.StatusCode);
            Assert.Contains("invalid_data", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("v1/website/{0}/people/profiles/abc")]
    [InlineData("v1/website/{0}/people/profiles/0")]
    [InlineData("v1/website/{0}/people/profiles/-1")]
    [InlineData("v1/website/{0}/people/profiles/99999999999999999999")]
    [InlineData("v1/website/{0}/people/profiles/1?per_page=abc")]
    [InlineData("v1/website/{0}/conversations/1?filter_resolved=maybe")]
    [InlineData("v1/website/{0}/conversations/1?search_type=regex&search_query=x")]
    [InlineData("v1/plugin/connect/websites/since?date_since=yesterday")]
    [InlineData("v1/plugin/connect/websites/all/1?include_plan=2")]
    [InlineData("v1/website/{0}/helpdesk/tree/list/en/articles/1?filter_date_start=notadate")]
    public async Task Queries_WithMalformedValues_Return400InvalidData(string pattern)
    {
        var websiteId = await host.InstallWebsiteAsync();
        using var client = host.Plugin();
        var response = await client.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, websiteId));
        Assert.Equal(400, response.Status);
        Assert.Equal("invalid_data", response.Reason);
    }

    [Fact]
    public async Task AdminApi_WithMalformedBodies_Returns400NotServerError()
    {
        var websiteId = await host.InstallWebsiteAsync();
        using var admin = host.Admin();
        string[] paths =
        [
            "_sim/websites", $"_sim/websites/{websiteId}/limits", "_sim/quota", "_sim/faults", "_sim/hooks/target",
            $"_sim/websites/{websiteId}/visitor-message", $"_sim/websites/{websiteId}/campaigns", $"_sim/websites/{websiteId}/settings",
        ];
        foreach (var path in paths)
        {
            foreach (var body in new[] { "{", "[]", "\"x\"", "{\"website_id\":5,\"name\":[],\"requests_per_minute\":\"x\",\"daily_limit\":-1,\"error_rate\":\"x\",\"url\":7,\"content\":1,\"settings\":3}" })
            {
                var method = path.EndsWith("websites", StringComparison.Ordinal) || path.EndsWith("message", StringComparison.Ordinal) || path.EndsWith("campaigns", StringComparison.Ordinal)
                    ? HttpMethod.Post
                    : HttpMethod.Put;
                var response = await admin.SendRawAsync(method, path, body);
                Assert.True(response.Status == 400, $"{method} {path} <{body}> → {response}");
            }
        }
    }
}
