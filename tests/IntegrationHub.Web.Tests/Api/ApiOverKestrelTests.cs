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
        using var client = await KeyedClientAsync();

        using var response = await client.PostAsync("/api/v1/events",
            new StringContent("""{"event":"paid","email":"a@b.example"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
        Assert.Equal((await response.Content.ReadAsByteArrayAsync()).Length, response.Content.Headers.ContentLength);
        Assert.Empty(response.Headers.Server);
    }

    [Fact]
    public async Task ContactEmailWithAnEscapedSlash_IsTheAddressItEncodes_NotItsEscape()
    {
        using var client = await KeyedClientAsync();

        // What encodeURIComponent / Uri.EscapeDataString make of "a/b@example.com", and of the literal "a%2Fb@example.com".
        using var slash = await client.PutAsync("/api/v1/contacts/a%2Fb%40example.com",
            new StringContent("""{"nickname":"Slash"}""", Encoding.UTF8, "application/json"));
        using var literal = await client.PatchAsync("/api/v1/contacts/a%252Fb%40example.com/context",
            new StringContent("""{"data":{"plan":"pro"}}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, slash.StatusCode);
        Assert.Contains("\"email\":\"a/b@example.com\",\"created\":true", await slash.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, literal.StatusCode);
        Assert.Contains("\"email\":\"a%2fb@example.com\",\"created\":true", await literal.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IdempotencyKey_OnTwoPathsThatDecodeAlike_IsAConflict_NotTheOtherContactsReplay()
    {
        using var client = await KeyedClientAsync();

        // The server decodes both paths to ".../a%2Fb@example.com"; they are the contacts a/b@… and a%2fb@….
        async Task<HttpResponseMessage> PutAsync(string path)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = new StringContent("""{"nickname":"N"}""", Encoding.UTF8, "application/json") };
            request.Headers.Add("Idempotency-Key", "one-key");
            return await client.SendAsync(request);
        }

        using var slash = await PutAsync("/api/v1/contacts/a%2Fb%40example.com");
        using var again = await PutAsync("/api/v1/contacts/a%2Fb%40example.com");
        using var literal = await PutAsync("/api/v1/contacts/a%252Fb%40example.com");

        Assert.Equal(HttpStatusCode.Accepted, slash.StatusCode);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(HttpStatusCode.Conflict, literal.StatusCode);
        Assert.Contains("idempotency-key-conflict", await literal.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Head_OnAnApiGetRoute_AnswersAsGetWithoutTheBody_AndStaysA405WhereOnlyOtherMethodsExist()
    {
        using var client = await KeyedClientAsync();
        using var anonymous = new HttpClient { BaseAddress = Live.HubRoot };

        using var get = await client.GetAsync("/api/v1/tenant");
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/v1/tenant"));
        using var missing = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/api/v1/events/{Guid.NewGuid()}"));
        using var unauthenticated = await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/v1/tenant"));
        using var postOnly = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/v1/contacts/a%40b.example"));

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType, head.Content.Headers.ContentType);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.NotEmpty(await get.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, postOnly.StatusCode);
    }

    /// <summary>A plain client on the hub's real address with a new tenant's API key.</summary>
    private async Task<HttpClient> KeyedClientAsync()
    {
        var key = await Data.ApiKeyAsync(await Data.TenantAsync("Acme"));
        var client = new HttpClient { BaseAddress = Live.HubRoot };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Plaintext);
        return client;
    }
}
