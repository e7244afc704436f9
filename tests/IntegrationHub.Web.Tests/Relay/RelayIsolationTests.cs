using System.Net;
using System.Text.Json.Nodes;
using IntegrationHub.Web.Features.Hooks;
using IntegrationHub.Web.Features.Relay;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.Relay;

/// <summary>A live hub with one shared worker and one relay worker; relay may reach the loopback receiver.</summary>
public sealed class RelayIsolationFixture : LiveHubFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Jobs:WorkerCount"] = "1",
        ["Jobs:RelayWorkerCount"] = "1",
        ["Relay:AllowPrivateTargets"] = "true",
        // Longer than the test waits: only the test's release ends the hanging send.
        ["Relay:Timeout"] = "00:02:00",
        // Start-up requires a lease longer than the timeout.
        ["Relay:LeaseDuration"] = "00:05:00",
    };
}

/// <summary>Relay drains wait on customers' endpoints; they must never hold the workers everything else needs.</summary>
public sealed class RelayIsolationTests(RelayIsolationFixture live) : LiveHubTestBase(live), IClassFixture<RelayIsolationFixture>
{
    [Fact]
    public async Task RelayEndpointHangs_OtherTenantsHooksStillProcessed()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        receiver.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            var slow = await Data.TenantAsync("Slow");
            var other = await Data.TenantAsync("Other");
            var (scope, _) = Live.OpenScope(slow);
            await using (scope)
            {
                await scope.ServiceProvider.GetRequiredService<RelayService>().CreateAsync(receiver.BaseUrl, ["*"], CancellationToken.None);
            }

            // The slow tenant's hook is relayed, and the drain hangs inside its endpoint.
            await PostHookAsync(slow, "message:send", new JsonObject { ["session_id"] = "session_slow", ["fingerprint"] = 1 });
            await receiver.FirstRequest.Task.WaitAsync(TimeSpan.FromSeconds(30));

            var entry = await PostHookAsync(other, "session:set_state", new JsonObject { ["session_id"] = "session_other", ["state"] = "resolved" });

            await Eventually.UntilAsync(async () => await ProcessedAsync(entry), "the other tenant's hook processed while the relay send hangs", TimeSpan.FromSeconds(10));
            Assert.False(receiver.Hold.Task.IsCompleted);
        }
        finally
        {
            receiver.Hold.TrySetResult();
        }
    }

    private async Task<long> PostHookAsync(Guid website, string eventName, JsonObject data)
    {
        using var client = Live.CreateClient();
        var response = await client.SendAsync(SignedHooks.Request(SignedHooks.Body(eventName, website, data), secret: LiveSimulator.HookSecret));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (scope, db) = Live.OpenScope();
        await using (scope)
        {
            return await db.Set<HookInboxEntry>().Where(h => h.WebsiteId == website && h.Event == eventName).Select(h => h.Id).SingleAsync();
        }
    }

    private async Task<bool> ProcessedAsync(long entryId)
    {
        var (scope, db) = Live.OpenScope();
        await using (scope)
        {
            return await db.Set<HookInboxEntry>().AnyAsync(h => h.Id == entryId && h.ProcessedAt != null);
        }
    }
}
