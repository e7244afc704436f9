using IntegrationHub.CrispSimulator.Tests.Support;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.CrispSimulator.Tests.Infrastructure;

/// <summary>A host like the hub: cookie auth with a fallback policy that requires a signed-in user.</summary>
public sealed class LockedDownHost : SimulatorHost
{
    protected override string Prefix => "/crisp-sim";

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie();
        services.AddAuthorizationBuilder().SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
    }

    protected override void ConfigurePipeline(WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
    }
}

public sealed class HostPolicyTests(LockedDownHost host) : IClassFixture<LockedDownHost>
{
    [Fact]
    public async Task MapCrispSimulator_InHostWithFallbackAuthPolicy_StillServesCrispAuthAndAdmin()
    {
        var websiteId = await host.InstallWebsiteAsync();
        using var anonymous = host.Client(null, null, "plugin");
        using var client = host.Plugin();

        var refused = await anonymous.GetAsync("v1/plugin/connect/account");
        var people = await client.GetAsync($"v1/website/{websiteId}/people/profiles/1");

        Assert.Equal(401, refused.Status);
        Assert.Equal("invalid_session", refused.Reason);
        Assert.Equal(206, people.Status);
    }
}
