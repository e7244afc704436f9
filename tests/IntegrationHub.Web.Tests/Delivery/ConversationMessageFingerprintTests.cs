using System.Net;
using System.Text.Json.Nodes;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.HookReactions;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Tests.Delivery;

/// <summary>
/// Crisp answers a sent message with its fingerprint, and its <c>message:received</c> hook carries the same one: the
/// engine keeps it on the call, and the hook reaction recognises the hub's own message by it (the simulator as Crisp).
/// </summary>
public sealed class ConversationMessageFingerprintTests
{
    [Fact]
    public async Task SentMessage_FingerprintStored_ItsMessageReceivedHookTrackedAsDelivery()
    {
        await using var harness = await DeliveryHarness.StartAsync();
        var tenant = await harness.TenantAsync();
        var visitor = harness.SimAdmin.SendVisitorMessage(tenant.ToString("D"), "hello?");
        await harness.EnqueueAsync(tenant, [(CrispCallKinds.ConversationMessage, new { session_id = visitor.SessionId, content = "We answer within the hour." }, null)]);

        await harness.WaitUntilAsync(tenant, DeliveryHarness.AllSent, TimeSpan.FromSeconds(30));

        var call = Assert.Single(await harness.CallsAsync(tenant));
        var hook = Assert.Single(harness.Sim.GetHooks(tenant.ToString("D"), "message:received"));
        var data = JsonNode.Parse(hook.Body)!["data"]!;
        Assert.Equal(data["fingerprint"]!.GetValue<long>(), call.MessageFingerprint);

        // The simulator's own hook bytes, delivered to the hub: the call's fingerprint is known, so only it can match.
        var response = await harness.Hub.CreateClient().SendAsync(SignedHooks.Request(hook.Body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var state = await Eventually.UntilAsync(
            async () =>
            {
                await using var scope = harness.Scope(tenant);
                return await scope.Db.Set<ConversationState>().AsNoTracking().FirstOrDefaultAsync(s => s.SessionId == visitor.SessionId);
            },
            s => s?.LastHubMessageDeliveredAt is not null,
            "the message:received hook processed");
        Assert.Null(state!.LastOperatorMessageAt);
    }
}
