using System.Net;
using System.Net.Http.Headers;
using System.Text;
using IntegrationHub.Web.Tests.Infrastructure;

namespace IntegrationHub.Web.Tests.Api;

/// <summary>The API's framing on a real Kestrel connection (the in-memory test server sets lengths on its own and sends no Server header).</summary>
public sealed class ApiOverKestrelTests(LiveHubFixture live) : LiveHubTestBase(live), IClassFixture<LiveHubFixture>
{
    [Fact]
    public async Task AcceptedEvent_IsAnsweredWithAContentLength_NotChunked_WithoutServerHeader()
    {
        var tenant = await Data.TenantAsync("Acme");
        var key = await Data.ApiKeyAsync(tenant);
        using var client = new HttpClient { BaseAddress = Live.HubRoot };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Plaintext);

        using var response = await client.PostAsync("/api/v1/events",
            new StringContent("""{"event":"paid","email":"a@b.example"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
        Assert.Equal((await response.Content.ReadAsByteArrayAsync()).Length, response.Content.Headers.ContentLength);
        Assert.Empty(response.Headers.Server);
    }
}
