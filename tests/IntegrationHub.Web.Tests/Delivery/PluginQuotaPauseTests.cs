using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.Delivery;

/// <summary>A paused day stays paused: what the dashboard's banner and the dispatcher read does not come and go.</summary>
public abstract class PluginQuotaPauseTests(IHubFixture fixture) : HubTestBase(fixture)
{
    [Fact]
    public async Task PausedDay_RequestsGivenBackAfterThePause_StayPaused()
    {
        await using var scope = Hub.Services.CreateAsyncScope();
        var quota = scope.ServiceProvider.GetRequiredService<PluginQuota>();
        Assert.Equal(quota.PauseAt - 5, await quota.TakeAsync(quota.PauseAt - 5, CancellationToken.None)); // a drain claims the last requests
        Assert.Equal(0, await quota.TakeAsync(10, CancellationToken.None, atLeast: 10)); // another cannot: deliveries pause
        Assert.True((await quota.GetStatusAsync(CancellationToken.None)).Paused);

        await quota.RefundAsync(5, CancellationToken.None); // the first drain did not need all it claimed

        Assert.True((await quota.GetStatusAsync(CancellationToken.None)).Paused);
        Assert.Equal(0, await quota.TakeAsync(1, CancellationToken.None));
    }
}

public sealed class PluginQuotaPauseTestsOnSqlite(SqliteHubFixture fixture) : PluginQuotaPauseTests(fixture), IClassFixture<SqliteHubFixture>;

[Collection(PostgresCollection.Name)]
public sealed class PluginQuotaPauseTestsOnPostgres(PostgresHubFixture fixture) : PluginQuotaPauseTests(fixture);
