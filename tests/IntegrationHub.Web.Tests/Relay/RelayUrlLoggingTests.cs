using IntegrationHub.Web.Features.Relay;
using IntegrationHub.Web.Infrastructure.Hosting;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Web.Tests.Relay;

/// <summary>A relay endpoint's URL may be its credential (Discord, Slack): no log line carries its path.</summary>
public sealed class RelayUrlLoggingTests
{
    [Fact]
    public async Task RelaySend_EndpointUrlPathNeverLogged_EvenAtTrace()
    {
        using var logs = new CapturedLogs();
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Trace);
        builder.Services.AddOutgoingHttpWithoutUrlLogging();
        builder.AddHubRelay();
        await using var services = builder.Services.BuildServiceProvider();
        var http = services.GetRequiredService<IHttpClientFactory>().CreateClient(RelaySender.HttpClientName);

        // Refused at connect time (a private target): the request went through the client's handlers all the same.
        await Assert.ThrowsAnyAsync<HttpRequestException>(() =>
            http.PostAsync("http://127.0.0.1:9/api/webhooks/123456/SECRET-PATH-TOKEN-7731", new StringContent("{}")));

        Assert.DoesNotContain(logs.Entries, e => e.AllText.Contains("SECRET-PATH-TOKEN-7731", StringComparison.Ordinal));
    }
}
