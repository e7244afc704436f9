using System.Net;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Crisp.Tests.Client;

public sealed class CrispClientRegistrationTests
{
    [Fact]
    public async Task Options_BoundFromCrispConfigurationSection()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Crisp:BaseUrl"] = "http://127.0.0.1:9/crisp-sim/v1/",
                ["Crisp:Identifier"] = "configured-id",
                ["Crisp:Key"] = "configured-key",
                ["Crisp:Tier"] = "website",
                ["Crisp:Timeout"] = "00:00:03",
            })
            .Build();
        var handler = new StubCrispHandler((_, _, _) => Task.FromResult(StubCrispHandler.Envelope(HttpStatusCode.OK, """{"plugin_id":"p"}""")));
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddOptions<CrispClientOptions>().BindConfiguration(CrispClientOptions.SectionName);
        services.AddCrispClient().ConfigurePrimaryHttpMessageHandler(() => handler);
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<CrispClient>().Plugin.GetAccountAsync();

        var request = Assert.Single(handler.Requests);
        Assert.Equal("http://127.0.0.1:9/crisp-sim/v1/plugin/connect/account", request.Uri.AbsoluteUri);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("configured-id:configured-key")), request.Headers["Authorization"]);
        Assert.Equal("website", request.Headers["X-Crisp-Tier"]);
    }

    [Fact]
    public async Task HostWideStandardResilience_DoesNotRetryRateLimits()
    {
        using var stub = new StubbedCrispClient(
            (_, _, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.TooManyRequests)),
            configureServices: services => services.ConfigureHttpClientDefaults(b => b.AddStandardResilienceHandler()));

        await Assert.ThrowsAsync<CrispRateLimitedException>(() => stub.Client.Plugin.GetAccountAsync());

        Assert.Single(stub.Handler.Requests);
    }

    [Fact]
    public async Task HostWideStandardResilience_ServerErrorStillRetriedOnlyOnce()
    {
        using var stub = new StubbedCrispClient(
            (_, _, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.InternalServerError)),
            configureServices: services => services.ConfigureHttpClientDefaults(b => b.AddStandardResilienceHandler()));

        var ex = await Assert.ThrowsAsync<CrispApiException>(() => stub.Client.Plugin.GetAccountAsync());

        Assert.Equal(500, ex.StatusCode);
        Assert.Equal(2, stub.Handler.Requests.Count);
    }

    [Fact]
    public async Task ExceptionMessage_NamesRouteButNotQuery()
    {
        using var stub = new StubbedCrispClient((_, _) => StubCrispHandler.Error(HttpStatusCode.BadRequest, "search_query_too_long"));

        var ex = await Assert.ThrowsAsync<CrispApiException>(() => stub.Client.People.ListProfilesAsync("w-1", 1, "private.person@example.com"));

        Assert.Contains("GET website/w-1/people/profiles/1", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("private.person", ex.Message, StringComparison.Ordinal);
    }
}
