using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using IntegrationHub.Crisp;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.Delivery.Executors;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Tests.Delivery;

/// <summary>
/// Knowledge Base writes are safe to repeat after an unknown outcome whatever Crisp calls "exists" and "missing": the
/// reasons of the tree routes are unverified (crisp-kb-tree-api.md §3), so the status decides. A repeat used to be
/// dead-lettered unless Crisp used the simulator's exact words.
/// </summary>
public sealed class HelpdeskRepeatReasonsTests
{
    private static readonly JsonObject File = new() { ["locale"] = "en", ["content_type"] = "articles", ["path"] = "orders/shipping.md" };

    [Theory]
    [InlineData(CrispCallKinds.HelpdeskPathCreate, HttpStatusCode.Conflict, "helpdesk_path_exists", "path already exists")]
    [InlineData(CrispCallKinds.HelpdeskPathDelete, HttpStatusCode.NotFound, "path_not_found", "path already gone")]
    public async Task RepeatedWrite_OtherReasonWithTheSameStatus_Skipped(string kind, HttpStatusCode status, string reason, string note)
    {
        var executor = new HelpdeskCallExecutor(Client(_ => Error(status, reason)));

        var result = await executor.ExecuteAsync("6a1f8f10-2b7e-4c1d-9d55-5b3c8f2d9e01", kind, File.DeepClone().AsObject(), CancellationToken.None);

        Assert.Equal("skipped", result.Outcome);
        Assert.Equal(note, result.Note);
    }

    [Fact]
    public async Task RepeatedMove_SourceMissingUnderAnotherReason_TargetThere_Skipped()
    {
        var executor = new HelpdeskCallExecutor(Client(request => request.Method == HttpMethod.Patch
            ? Error(HttpStatusCode.NotFound, "path_not_found")
            : new HttpResponseMessage(HttpStatusCode.OK) { Content = Json("""{"error":false,"reason":"resolved","data":{"type":"file","slug":"shipping.md","title":"Shipping","state":{"published":true,"hidden":false,"featured":false},"children":[]}}""") }));
        var move = File.DeepClone().AsObject();
        move["to"] = "orders/delivery.md";

        var result = await executor.ExecuteAsync("6a1f8f10-2b7e-4c1d-9d55-5b3c8f2d9e01", CrispCallKinds.HelpdeskPathMove, move, CancellationToken.None);

        Assert.Equal("already moved", result.Note);
    }

    [Fact]
    public async Task Delete_WebsiteNotSubscribed_IsNotTakenForAMissingPath()
    {
        var executor = new HelpdeskCallExecutor(Client(_ => Error(HttpStatusCode.NotFound, "not_subscribed")));

        var failure = await Assert.ThrowsAsync<CrispApiException>(() =>
            executor.ExecuteAsync("6a1f8f10-2b7e-4c1d-9d55-5b3c8f2d9e01", CrispCallKinds.HelpdeskPathDelete, File.DeepClone().AsObject(), CancellationToken.None));
        Assert.Equal("not_subscribed", failure.Reason);
    }

    private static CrispClient Client(Func<HttpRequestMessage, HttpResponseMessage> respond) =>
        new(new HttpClient(new Responder(respond)), Options.Create(new CrispClientOptions { Identifier = "id", Key = "key" }));

    private static HttpResponseMessage Error(HttpStatusCode status, string reason) =>
        new(status) { Content = Json($$$"""{"error":true,"reason":"{{{reason}}}","data":{}}""") };

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private sealed class Responder(Func<HttpRequestMessage, HttpResponseMessage> respond) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(respond(request));
    }
}
