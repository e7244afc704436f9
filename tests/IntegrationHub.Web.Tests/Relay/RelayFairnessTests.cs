using System.Net;
using System.Text.Json.Nodes;
using IntegrationHub.Web.Features.Relay;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.Relay;

/// <summary>A live hub with the default two relay workers; relay may reach the loopback receivers.</summary>
public sealed class RelayFairnessFixture : LiveHubFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Jobs:RelayWorkerCount"] = "2",
        ["Relay:AllowPrivateTargets"] = "true",
        // Longer than the test waits: only the test's release ends the hanging sends.
        ["Relay:Timeout"] = "00:02:00",
        ["Relay:LeaseDuration"] = "00:05:00",
    };
}

/// <summary>Inside the relay queue, a hanging endpoint must not hold back relays to any other endpoint, another tenant's or its own tenant's.</summary>
public sealed class RelayFairnessTests(RelayFairnessFixture live) : LiveHubTestBase(live), IClassFixture<RelayFairnessFixture>
{
    [Fact]
    public async Task OneTenantsEndpointHangs_AnotherTenantsRelayGoesOutPromptly()
    {
        await using var hanging = await LoopbackReceiver.StartAsync();
        await using var healthy = await LoopbackReceiver.StartAsync();
        hanging.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            var slow = await Data.TenantAsync("Slow");
            var quick = await Data.TenantAsync("Quick");
            await CreateEndpointAsync(slow, hanging.BaseUrl);
            await CreateEndpointAsync(quick, healthy.BaseUrl);

            // Several relays of the slow tenant: before, each drain took the oldest due rows, so every relay worker
            // ended up waiting in the slow tenant's endpoint (up to Relay:Timeout per row, row after row).
            for (var i = 0; i < 4; i++)
            {
                await PostHookAsync(slow, new JsonObject { ["session_id"] = $"session_slow_{i}", ["fingerprint"] = i + 1 });
            }

            await Eventually.UntilAsync(() => Task.FromResult(hanging.Requests.Count >= 2), "both relay workers busy in the hanging endpoint", TimeSpan.FromSeconds(30));

            await PostHookAsync(quick, new JsonObject { ["session_id"] = "session_quick", ["fingerprint"] = 100 });

            await healthy.FirstRequest.Task.WaitAsync(TimeSpan.FromSeconds(8));
            Assert.False(hanging.Hold.Task.IsCompleted);
            Assert.Single(healthy.Requests);
        }
        finally
        {
            hanging.Hold.TrySetResult();
        }
    }

    [Fact]
    public async Task OneEndpointHangs_TheSameTenantsOtherEndpointGetsEveryRelayPromptly()
    {
        await using var hanging = await LoopbackReceiver.StartAsync();
        await using var healthy = await LoopbackReceiver.StartAsync();
        hanging.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            var tenant = await Data.TenantAsync("Two receivers");
            await CreateEndpointAsync(tenant, hanging.BaseUrl);
            await CreateEndpointAsync(tenant, healthy.BaseUrl);

            // Each hook goes to both endpoints. Before, a drain's lane was the tenant's: while it waited on the hanging
            // endpoint, the healthy one's rows of the same tenant waited too (up to Relay:Timeout per row).
            for (var i = 0; i < 3; i++)
            {
                await PostHookAsync(tenant, new JsonObject { ["session_id"] = $"session_two_{i}", ["fingerprint"] = i + 1 });
            }

            await Eventually.UntilAsync(() => Task.FromResult(healthy.Requests.Count >= 3), "every relay at the healthy endpoint", TimeSpan.FromSeconds(15));
            Assert.False(hanging.Hold.Task.IsCompleted);
            Assert.NotEmpty(hanging.Requests);
        }
        finally
        {
            hanging.Hold.TrySetResult();
        }
    }

    private async Task CreateEndpointAsync(Guid tenant, string url)
    {
        var (scope, _) = Live.OpenScope(tenant);
        await using (scope)
        {
            await scope.ServiceProvider.GetRequiredService<RelayService>().CreateAsync(url, ["*"], CancellationToken.None);
        }
    }

    private async Task PostHookAsync(Guid website, JsonObject data)
    {
        using var client = Live.CreateClient();
        var response = await client.SendAsync(SignedHooks.Request(SignedHooks.Body("message:send", website, data), secret: LiveSimulator.HookSecret));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
