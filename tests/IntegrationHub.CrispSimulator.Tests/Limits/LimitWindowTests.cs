using IntegrationHub.CrispSimulator.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.CrispSimulator.Tests.Limits;

/// <summary>A simulator whose clock the test moves.</summary>
public sealed class FakeClockSimulatorHost : SimulatorHost
{
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 25, 23, 58, 0, TimeSpan.Zero));

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
}

public sealed class LimitWindowTests(FakeClockSimulatorHost host) : IClassFixture<FakeClockSimulatorHost>
{
    [Fact]
    public async Task Budget_AfterOneMinute_AllowsRequestsAgain()
    {
        var websiteId = await host.InstallWebsiteAsync();
        using var admin = host.Admin();
        using var client = host.Plugin();
        await admin.SendAsync(HttpMethod.Put, $"_sim/websites/{websiteId}/limits", new { requests_per_minute = 2 });
        var path = $"v1/website/{websiteId}/people/profiles/1";

        Assert.Equal(206, (await client.GetAsync(path)).Status);
        Assert.Equal(206, (await client.GetAsync(path)).Status);
        Assert.Equal(429, (await client.GetAsync(path)).Status);
        host.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(429, (await client.GetAsync(path)).Status);
        host.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(206, (await client.GetAsync(path)).Status);
    }

    [Fact]
    public async Task DailyQuota_AtUtcMidnight_Resets()
    {
        using var admin = host.Admin();
        using var client = host.Plugin();
        var quota = await admin.GetAsync("_sim/quota");
        var used = quota.Data!["used"]!.GetValue<int>();
        await admin.SendAsync(HttpMethod.Put, "_sim/quota", new { daily_limit = used + 1 });

        Assert.Equal(200, (await client.GetAsync("v1/plugin/connect/account")).Status);
        Assert.Equal(429, (await client.GetAsync("v1/plugin/connect/account")).Status);
        host.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(200, (await client.GetAsync("v1/plugin/connect/account")).Status);
        Assert.Equal(1, (await admin.GetAsync("_sim/quota")).Data!["used"]!.GetValue<int>());
    }
}
