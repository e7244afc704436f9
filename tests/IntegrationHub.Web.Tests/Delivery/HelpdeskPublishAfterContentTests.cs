using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using IntegrationHub.Crisp;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.Delivery.Executors;
using IntegrationHub.Web.Features.Helpdesk;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Tests.Delivery;

/// <summary>
/// A publish queues create → content → metadata (state published) in one ordering key, and a dead call does not stop
/// the calls after it. A content write Crisp refused used to be followed by the metadata patch, which published the file
/// with its old body (or, when new, an empty one). The metadata call of an item that writes content now carries that
/// content's hash and sends nothing unless Crisp holds it.
/// </summary>
public sealed class HelpdeskPublishAfterContentTests
{
    private const string Website = "6a1f8f10-2b7e-4c1d-9d55-5b3c8f2d9e01";

    private static readonly HelpdeskDoc Doc = new("en", "articles", "orders", "shipping", "Shipping", null, Published: true, Hidden: false, Featured: false, Position: null, "# Shipping\n\nWe ship worldwide.\n");

    [Fact]
    public async Task MetadataAfterContent_CrispHoldsOtherContent_DeadWithoutPublishing()
    {
        var sent = new List<HttpMethod>();
        var executor = new HelpdeskCallExecutor(Client(sent, content: ""));
        var write = KbWrite.Metadata("en", "articles", Doc.TreePath, Doc, afterContent: true);

        var refused = await Assert.ThrowsAsync<CallCannotSucceedException>(() =>
            executor.ExecuteAsync(Website, write.Kind, JsonNode.Parse(write.Payload)!.AsObject(), CancellationToken.None));

        Assert.Equal("content_not_written", refused.Reason);
        Assert.DoesNotContain(HttpMethod.Patch, sent);
    }

    [Fact]
    public async Task MetadataAfterContent_CrispHoldsTheWrittenContent_Published()
    {
        var sent = new List<HttpMethod>();
        var executor = new HelpdeskCallExecutor(Client(sent, content: "# Shipping\r\n\r\nWe ship worldwide."));
        var write = KbWrite.Metadata("en", "articles", Doc.TreePath, Doc, afterContent: true);

        var result = await executor.ExecuteAsync(Website, write.Kind, JsonNode.Parse(write.Payload)!.AsObject(), CancellationToken.None);

        Assert.Equal("sent", result.Outcome);
        Assert.Equal([HttpMethod.Get, HttpMethod.Patch], sent);
    }

    [Fact]
    public async Task MetadataOnly_NoContentWritten_PatchedWithoutReadingTheContent()
    {
        var sent = new List<HttpMethod>();
        var executor = new HelpdeskCallExecutor(Client(sent, content: "anything"));
        var write = KbWrite.Metadata("en", "articles", Doc.TreePath, Doc);

        await executor.ExecuteAsync(Website, write.Kind, JsonNode.Parse(write.Payload)!.AsObject(), CancellationToken.None);

        Assert.Equal([HttpMethod.Patch], sent);
        Assert.DoesNotContain("content_hash", write.Payload, StringComparison.Ordinal);
    }

    private static CrispClient Client(List<HttpMethod> sent, string content) =>
        new(new HttpClient(new Responder(request =>
        {
            sent.Add(request.Method);
            return request.Method == HttpMethod.Get
                ? Json(HttpStatusCode.OK, new JsonObject { ["error"] = false, ["reason"] = "resolved", ["data"] = new JsonObject { ["content"] = content } })
                : Json(HttpStatusCode.OK, new JsonObject { ["error"] = false, ["reason"] = "updated", ["data"] = new JsonObject() });
        })), Options.Create(new CrispClientOptions { Identifier = "id", Key = "key" }));

    private static HttpResponseMessage Json(HttpStatusCode status, JsonObject body) =>
        new(status) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };

    private sealed class Responder(Func<HttpRequestMessage, HttpResponseMessage> respond) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(respond(request));
    }
}
