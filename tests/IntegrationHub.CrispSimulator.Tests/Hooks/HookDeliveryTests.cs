using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using IntegrationHub.CrispSimulator.Tests.Support;

namespace IntegrationHub.CrispSimulator.Tests.Hooks;

/// <summary>Hook delivery over real loopback HTTP to a scripted receiver.</summary>
public sealed class HookDeliveryTests(SimulatorHost host) : IClassFixture<SimulatorHost>, IAsyncLifetime
{
    private const string Secret = "test-hook-secret-\u00e9";

    public async Task InitializeAsync()
    {
        using var admin = host.Admin();
        await admin.SendAsync(HttpMethod.Post, "_sim/reset");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task TargetAsync(HookReceiver receiver, int attemptLimit = 3, int timeoutMs = 5000)
    {
        using var admin = host.Admin();
        var response = await admin.SendAsync(HttpMethod.Put, "_sim/hooks/target", new
        {
            url = receiver.Url.ToString(),
            secret = Secret,
            attempt_limit = attemptLimit,
            backoff_base_ms = 20,
            timeout_ms = timeoutMs,
        });
        Assert.Equal(200, response.Status);
    }

    /// <summary>Independent of CrispHookSignature: hex(HMAC-SHA256(secret, "[" + ts + ";" + body + "]")).</summary>
    private static string ExpectedSignature(string timestamp, byte[] body)
    {
        var message = Encoding.UTF8.GetBytes("[" + timestamp + ";").Concat(body).Concat(Encoding.UTF8.GetBytes("]")).ToArray();
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(Secret));
        return Convert.ToHexString(hmac.ComputeHash(message)).ToUpperInvariant();
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(25);
        }
    }

    [Fact]
    public async Task Install_WithHookTarget_PostsSignedSubscriptionUpdatedHook()
    {
        await using var receiver = await HookReceiver.StartAsync();
        await TargetAsync(receiver);
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var websiteId = await host.InstallWebsiteAsync();

        var hook = Assert.Single(await receiver.WaitForAsync(1));
        var timestamp = hook.Header("X-Crisp-Request-Timestamp");
        Assert.Equal(ExpectedSignature(timestamp, hook.Body), hook.Header("X-Crisp-Signature").ToUpperInvariant());
        Assert.Matches("^[0-9a-f]{64}$", hook.Header("X-Crisp-Signature"));
        Assert.Equal("Crisp-HooksDeliver 1.0", hook.Header("User-Agent"));
        Assert.Equal("1", hook.Header("X-Delivery-Attempt-Count"));
        Assert.Equal("3", hook.Header("X-Delivery-Attempt-Limit"));
        Assert.StartsWith("plugin/", hook.Header("X-Crisp-Hook-Origin"), StringComparison.Ordinal);
        Assert.StartsWith("application/json", hook.Header("Content-Type"), StringComparison.Ordinal);

        var body = JsonNode.Parse(hook.Body)!;
        Assert.Equal(websiteId, body["website_id"]!.GetValue<string>());
        Assert.Equal("plugin:subscription:updated", body["event"]!.GetValue<string>());
        Assert.True(body["data"]!["bound"]!.GetValue<bool>());
        Assert.Equal(host.Options.PluginId, body["data"]!["plugin_id"]!.GetValue<string>());
        Assert.InRange(body["timestamp"]!.GetValue<long>(), before - 1000, before + 60_000);

        await WaitUntilAsync(() => host.State.GetHooks(websiteId).All(h => h.Status == "delivered"));
        Assert.Equal("delivered", Assert.Single(host.State.GetHooks(websiteId)).Status);
    }

    [Fact]
    public async Task Hook_AnsweredNon2xx_IsRetriedWithIncreasingAttemptCount()
    {
        await using var receiver = await HookReceiver.StartAsync(i => (i switch { 0 => 500, 1 => 404, _ => 200 }, 0));
        await TargetAsync(receiver, attemptLimit: 5);

        var websiteId = await host.InstallWebsiteAsync();

        var hooks = await receiver.WaitForAsync(3);
        await Task.Delay(300);
        Assert.Equal(3, receiver.Received.Count);
        Assert.Equal(["1", "2", "3"], hooks.Select(h => h.Header("X-Delivery-Attempt-Count")));
        Assert.All(hooks, h => Assert.Equal("5", h.Header("X-Delivery-Attempt-Limit")));
        Assert.All(hooks, h => Assert.Equal(hooks[0].Body, h.Body));
        Assert.All(hooks, h => Assert.Equal(ExpectedSignature(h.Header("X-Crisp-Request-Timestamp"), h.Body), h.Header("X-Crisp-Signature").ToUpperInvariant()));

        await WaitUntilAsync(() => host.State.GetHooks(websiteId)[0].Status == "delivered");
        var record = Assert.Single(host.State.GetHooks(websiteId));
        Assert.Equal("delivered", record.Status);
        Assert.Equal([500, 404, 200], record.Attempts.Select(a => a.StatusCode ?? 0));
        Assert.Equal([1, 2, 3], record.Attempts.Select(a => a.Attempt));
    }

    [Fact]
    public async Task Hook_AlwaysFailing_StopsAtAttemptLimitAndIsMarkedFailed()
    {
        await using var receiver = await HookReceiver.StartAsync(_ => (503, 0));
        await TargetAsync(receiver, attemptLimit: 3);

        var websiteId = await host.InstallWebsiteAsync();

        await receiver.WaitForAsync(3);
        await WaitUntilAsync(() => host.State.GetHooks(websiteId)[0].Status != "pending");
        await Task.Delay(300);
        Assert.Equal(3, receiver.Received.Count);
        var record = Assert.Single(host.State.GetHooks(websiteId));
        Assert.Equal("failed", record.Status);
        Assert.Equal(3, record.Attempts.Count);
    }

    [Fact]
    public async Task Hook_ReceiverTimesOut_CountsAsFailedAttemptAndRetries()
    {
        // The first answer takes far longer than the timeout; the timeout itself is generous so that a busy CI
        // machine cannot also time out the prompt retry (a 300 ms timeout once did on two loaded cores).
        await using var receiver = await HookReceiver.StartAsync(i => (200, i == 0 ? 20_000 : 0));
        await TargetAsync(receiver, attemptLimit: 5, timeoutMs: 1_500);

        var websiteId = await host.InstallWebsiteAsync();

        await WaitUntilAsync(() => host.State.GetHooks(websiteId)[0].Status == "delivered");
        var record = Assert.Single(host.State.GetHooks(websiteId));
        Assert.Equal("delivered", record.Status);
        Assert.Equal("timeout", record.Attempts[0].Error);
        Assert.Null(record.Attempts[0].StatusCode);
        Assert.Equal(200, record.Attempts[^1].StatusCode);
        Assert.All(record.Attempts.SkipLast(1), a => Assert.Equal("timeout", a.Error));
    }

    [Fact]
    public async Task Hook_WithoutUrl_IsRecordedButNotSent()
    {
        using var admin = host.Admin();
        await admin.SendAsync(HttpMethod.Put, "_sim/hooks/target", new { url = "" });

        var websiteId = await host.InstallWebsiteAsync();
        await admin.SendAsync(HttpMethod.Put, $"_sim/websites/{websiteId}/settings", new { settings = new { k = "v" } });
        await admin.SendAsync(HttpMethod.Delete, $"_sim/websites/{websiteId}");

        var log = await admin.GetAsync($"_sim/hooks?website_id={websiteId}");
        Assert.Equal(206, log.Status);
        Assert.Equal(
            ["plugin:subscription:updated", "plugin:settings:saved", "plugin:subscription:updated"],
            log.DataArray.Select(h => h!["event"]!.GetValue<string>()));
        Assert.All(log.DataArray, h => Assert.Equal("not_sent", h!["status"]!.GetValue<string>()));
        var unbound = JsonNode.Parse(log.DataArray[2]!["body"]!.GetValue<string>())!;
        Assert.False(unbound["data"]!["bound"]!.GetValue<bool>());
        var saved = JsonNode.Parse(log.DataArray[1]!["body"]!.GetValue<string>())!;
        Assert.Equal("v", saved["data"]!["settings"]!["k"]!.GetValue<string>());
    }

    [Fact]
    public async Task OperatorMessage_ViaRest_DeliversMessageReceivedHook()
    {
        await using var receiver = await HookReceiver.StartAsync();
        await TargetAsync(receiver);
        var websiteId = await host.InstallWebsiteAsync();
        using var client = host.Plugin();
        var session = (await client.SendAsync(HttpMethod.Post, $"v1/website/{websiteId}/conversation")).Data!["session_id"]!.GetValue<string>();

        await client.SendAsync(HttpMethod.Post, $"v1/website/{websiteId}/conversation/{session}/message", new
        {
            type = "text",
            from = "operator",
            origin = "chat",
            content = "Caf\u00e9 ready",
        });

        var hooks = await receiver.WaitForAsync(2);
        var message = hooks.Select(h => JsonNode.Parse(h.Body)!).Single(b => b["event"]!.GetValue<string>() == "message:received");
        Assert.Equal("Caf\u00e9 ready", message["data"]!["content"]!.GetValue<string>());
        Assert.Equal(session, message["data"]!["session_id"]!.GetValue<string>());
        Assert.All(hooks, h => Assert.Equal(ExpectedSignature(h.Header("X-Crisp-Request-Timestamp"), h.Body), h.Header("X-Crisp-Signature").ToUpperInvariant()));
    }
}
