using System.Net;
using IntegrationHub.Web.Tests.Infrastructure;

namespace IntegrationHub.Web.Tests.Api;

/// <summary>A hub whose API allows 1 request per second per website with a burst of 3.</summary>
public sealed class RateLimitedSqliteHubFixture : SqliteHubFixture
{
    protected override IReadOnlyDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["Api:RateLimit:PermitsPerSecond"] = "1",
        ["Api:RateLimit:Burst"] = "3",
    };
}

public sealed class RateLimitTests(RateLimitedSqliteHubFixture fixture) : ApiTestBase(fixture), IClassFixture<RateLimitedSqliteHubFixture>
{
    [Fact]
    public async Task Api_OverTheTenantsBurst_Answers429WithRetryAfter_OtherTenantsUnaffected()
    {
        var (_, clientA) = await TenantClientAsync("A");
        var (_, clientB) = await TenantClientAsync("B");

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 6; i++)
        {
            answers.Add(await SendAsync(clientA, HttpMethod.Post, "/api/v1/events", $$"""{"event":"e","user_id":"{{i}}"}"""));
        }

        var limited = answers.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        Assert.True(answers.Count(r => r.StatusCode == HttpStatusCode.Accepted) <= 4);
        var first = limited[0];
        await AssertProblemAsync(first, 429, "too-many-requests");
        Assert.True(first.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));

        Assert.Equal(HttpStatusCode.OK, (await clientB.GetAsync("/api/v1/tenant")).StatusCode);
    }
}
