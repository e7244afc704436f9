using System.Net;
using System.Text;
using IntegrationHub.CrispSimulator;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.Tenants;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.DemoMode;

/// <summary>
/// The README's first steps in demo mode: a website added by hand (<c>tenant add</c>), an API key, a contact pushed.
/// The in-process simulator did not know the website; it must not cost the tenant its install.
/// </summary>
public sealed class HandAddedTenantDemoTests(DemoHubFixture demo) : IClassFixture<DemoHubFixture>
{
    [Fact]
    public async Task ContactPush_TenantAddedByHandInDemoMode_CallsSentAndTenantStaysActive()
    {
        var (websiteId, client) = await demo.HandAddedWebsiteAsync("Acme");
        using var _ = client;

        var put = await client.PutAsync("/api/v1/contacts/q1@example.com", new StringContent("""{"nickname":"Q One","data":{"plan":"pro"}}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, put.StatusCode);
        var calls = await demo.FinishedCallsAsync(websiteId);
        Assert.All(calls, c => Assert.Equal(CrispCallStatus.Sent, c.Status));
        await using var scope = demo.Factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(websiteId);
        var tenant = await scope.ServiceProvider.GetRequiredService<HubDbContext>().Tenants.AsNoTracking().SingleAsync();
        Assert.Equal((TenantStatus.Active, TenantSource.Manual), (tenant.Status, tenant.Source));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/tenant")).StatusCode);
        // The simulator learned the website through its own install (hook and all), so the contact is in it.
        var simulator = demo.Factory.Services.GetRequiredService<CrispSimulatorState>();
        Assert.True(simulator.Read(s => s.FindWebsite(websiteId.ToString("D"))?.Installed));
        Assert.Contains(simulator.GetJournal(websiteId.ToString("D")), j => j.Path.EndsWith("/people/profile", StringComparison.Ordinal) && j.Status == 201);
    }
}
