using IntegrationHub.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace IntegrationHub.Web.Features.Health;

public static class HealthRegistration
{
    private const string ReadyTag = "ready";

    public static WebApplicationBuilder AddHubHealthChecks(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddDbContextCheck<HubDbContext>("database", tags: [ReadyTag]);
        return builder;
    }

    public static WebApplication MapHubHealthChecks(this WebApplication app)
    {
        // Live: the process answers. Ready: it can reach its database (what a load balancer should route on).
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) }).AllowAnonymous();
        return app;
    }
}
