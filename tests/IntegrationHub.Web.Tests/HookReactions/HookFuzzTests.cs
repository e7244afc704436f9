using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using IntegrationHub.Crisp.Hooks;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.HookReactions;

/// <summary>
/// A few thousand malformed hook requests (seeded, so a failure replays) against both intake routes: random bytes,
/// truncated JSON, wrong types, huge headers, bad signatures and keys. None may answer 5xx.
/// </summary>
public sealed class HookFuzzTests(SqliteHubFixture fixture) : HubTestBase(fixture), IClassFixture<SqliteHubFixture>
{
    private const int Requests = 3000;

    [Fact]
    public async Task MalformedBodiesAndHeaders_NeverAServerError()
    {
        var tenant = await Data.TenantAsync("Fuzz");
        var key = await Data.ApiKeyAsync(tenant);
        var api = Hub.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Plaintext);
        var url = new Uri((await (await api.PostAsync("/api/v1/hooks/website-url", null)).Content.ReadFromJsonAsync<JsonObject>())!["url"]!.GetValue<string>());

        var random = new Random(9_2026);
        var client = Hub.CreateClient();
        var failures = new List<string>();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < Requests && watch.Elapsed < TimeSpan.FromSeconds(40); i++)
        {
            var (request, description) = Build(random, i, tenant, url);
            using (request)
            {
                using var response = await client.SendAsync(request);
                if ((int)response.StatusCode >= 500)
                {
                    failures.Add($"#{i} {description}: {(int)response.StatusCode}");
                }
            }
        }

        Assert.Empty(failures);

        // Whatever got stored is processed without an unhandled exception.
        await using var scope = Hub.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<Features.Hooks.HookProcessor>().ProcessPendingAsync(CancellationToken.None);
    }

    private static (HttpRequestMessage Request, string Description) Build(Random random, int i, Guid tenant, Uri websiteUrl)
    {
        var good = SignedHooks.Body(Pick(random, Events), tenant, new JsonObject
        {
            ["session_id"] = "session_" + random.Next(5), ["from"] = Pick(random, ["user", "operator", "x"]), ["content"] = "price", ["fingerprint"] = random.NextInt64(),
        });
        var kind = random.Next(9);
        byte[] body = kind switch
        {
            0 => RandomBytes(random, random.Next(0, 2048)),
            1 => Encoding.UTF8.GetBytes(good[..random.Next(0, good.Length)]),
            2 => Encoding.UTF8.GetBytes(Pick(random, WrongTypes)),
            3 => Encoding.UTF8.GetBytes(good.Replace("\"session_", "\"\u0000\uFFFF", StringComparison.Ordinal)),
            4 => Encoding.UTF8.GetBytes(new string('[', random.Next(1, 5000))),
            5 => Encoding.UTF8.GetBytes("{\"event\":\"message:send\",\"website_id\":\"" + tenant + "\",\"data\":{\"session_id\":\"" + new string('s', random.Next(90, 400)) + "\",\"from\":\"user\",\"content\":123,\"fingerprint\":1.5e308}}"),
            _ => Encoding.UTF8.GetBytes(good),
        };

        var website = random.Next(2) == 0;
        var path = website ? Pick(random, [websiteUrl.PathAndQuery, websiteUrl.AbsolutePath, websiteUrl.AbsolutePath + "?key=" + Uri.EscapeDataString(Encoding.Latin1.GetString(RandomBytes(random, random.Next(0, 300)))), "/crisp/hooks/website/not-a-guid?key=x", websiteUrl.AbsolutePath + "?key=a&key=b"]) : "/crisp/hooks";
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", Pick(random, ["application/json", "application/json; charset=utf-8", "text/plain", "application/x+json", ";;;", "application/json; charset=\"", string.Empty]));

        var timestamp = Pick(random, [DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), "0", "-1", "abc", "99999999999999999999999", string.Empty, new string('9', 300)]);
        var signature = random.Next(4) switch
        {
            0 => CrispHookSignature.Compute(HubApplicationFactory.TestHookSecret, timestamp, body),
            1 => Convert.ToHexStringLower(RandomBytes(random, 32)),
            2 => new string('z', random.Next(0, 10_000)),
            _ => string.Empty,
        };
        request.Headers.TryAddWithoutValidation("X-Crisp-Request-Timestamp", timestamp);
        request.Headers.TryAddWithoutValidation("X-Crisp-Signature", signature);
        if (random.Next(10) == 0)
        {
            request.Headers.TryAddWithoutValidation("X-Huge", new string('h', random.Next(1000, 16_000)));
        }

        return (request, $"kind {kind}, {(website ? "website" : "plugin")} route, {body.Length} bytes");
    }

    private static readonly string[] Events = ["message:send", "message:received", "session:set_state", "people:profile:created", "people:bind:session", "plugin:settings:saved", "x"];

    private static readonly string[] WrongTypes =
    [
        "[]", "null", "42", "\"text\"", "{}", "{\"event\":1}", "{\"event\":\"message:send\",\"website_id\":7}",
        "{\"event\":\"message:send\",\"website_id\":\"not-a-guid\"}", "{\"event\":\"message:send\",\"data\":[]}",
        "{\"event\":\"message:send\",\"data\":{\"session_id\":{},\"fingerprint\":\"x\"}}",
        "{\"event\":\"people:profile:created\",\"data\":{\"email\":[],\"people_id\":null}}",
        "{\"event\":\"session:set_state\",\"data\":{\"session_id\":\"s\",\"state\":{\"a\":1}}}",
        "{\"event\":\"" + new string('e', 500) + "\"}",
    ];

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
