using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.Infrastructure;

/// <summary>Base of tests that run on every database: the database is emptied before each test.</summary>
public abstract class HubTestBase(IHubFixture fixture) : IAsyncLifetime
{
    protected HubApplicationFactory Hub => fixture.Factory;

    protected TestData Data => new(Hub.Services);

    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A fresh scope; pass a tenant to act for it, as a request or job would.</summary>
    protected (AsyncServiceScope Scope, HubDbContext Db) OpenScope(Guid? tenantId = null)
    {
        var scope = Hub.Services.CreateAsyncScope();
        if (tenantId is { } id)
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(id);
        }

        return (scope, scope.ServiceProvider.GetRequiredService<HubDbContext>());
    }
}
