using System.Net;
using IntegrationHub.Web.Features.Events;
using IntegrationHub.Web.Tests.Infrastructure;

namespace IntegrationHub.Web.Tests.Api;

/// <summary>
/// Several commit loops (the default on servers with eight or more cores, or <c>Api:Ingest:Writers</c>) race on
/// the same message ids: the unique index and the per-request retry must make every repeat answer with the one
/// stored event, never a second row and never an error.
/// </summary>
public sealed class ParallelCommitLoopsFixture : OwnPostgresHubFixture
{
    protected override IReadOnlyDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["Api:Ingest:Writers"] = "4",
        // Small commits, so the loops really run side by side with the same ids in flight.
        ["Api:Ingest:MaxRequestsPerCommit"] = "2",
    };
}

public sealed class ParallelCommitLoopsTests(ParallelCommitLoopsFixture fixture) : ApiTestBase(fixture), IClassFixture<ParallelCommitLoopsFixture>
{
    [Fact]
    public async Task SameMessageIdsFromParallelLoops_OneEventEach_EveryRepeatAnswersWithIt()
    {
        var (tenant, client) = await TenantClientAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 120).Select(async i =>
        {
            var id = $"m-{i % 15}";
            var response = await SendAsync(client, HttpMethod.Post, "/api/v1/events", $$"""{"event":"paid","email":"a@b.example","message_id":"{{id}}"}""");
            return (Id: id, response.StatusCode, Body: await JsonOf(response));
        }));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        foreach (var group in responses.GroupBy(r => r.Id))
        {
            Assert.Single(group.Select(r => r.Body.GetProperty("id").GetGuid()).Distinct());
        }

        Assert.Equal(15, await CountAsync<ProductEvent>(tenant));
    }
}
