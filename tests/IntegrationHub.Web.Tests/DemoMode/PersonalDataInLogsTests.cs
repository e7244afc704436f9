using System.Net;
using System.Text;
using IntegrationHub.Web.Features.Delivery;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Web.Tests.DemoMode;

/// <summary>
/// Crisp's people routes take the contact's email as the people id, so every HTTP request the hub makes for a contact
/// carries a customer's end user's address in its URL. At the production log levels (Information) none of it may
/// reach the logs: the framework's HttpClient logging wrote each such URL four times per request.
/// </summary>
public sealed class PersonalDataInLogsTests(DemoHubFixture demo) : IClassFixture<DemoHubFixture>
{
    [Fact]
    public async Task ContactDelivered_ItsEmailIsInNoLogEntry()
    {
        var (websiteId, client) = await demo.HandAddedWebsiteAsync("Privacy");
        using var _ = client;
        const string email = "private.person@privacy.example";

        var put = await client.PutAsync($"/api/v1/contacts/{email}", new StringContent("""{"nickname":"Private","data":{"plan":"pro"}}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, put.StatusCode);
        Assert.All(await demo.FinishedCallsAsync(websiteId), c => Assert.Equal(CrispCallStatus.Sent, c.Status));
        var leaks = demo.Logs.Entries
            .Where(e => e.Level >= LogLevel.Information)
            .Where(e => e.AllText.Contains(email, StringComparison.OrdinalIgnoreCase) || e.AllText.Contains(Uri.EscapeDataString(email), StringComparison.OrdinalIgnoreCase))
            .Select(e => $"{e.Category}: {e.Message}")
            .ToList();
        Assert.True(leaks.Count == 0, "the email was logged:\n" + string.Join('\n', leaks.Take(5)));
    }
}
